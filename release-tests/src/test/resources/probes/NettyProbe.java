package probes;

import io.netty.handler.codec.http.DefaultHttpHeaders;

import java.util.List;

/** P12, CVE-2022-41915: DefaultHeaders.set(name, Iterable) does not validate the values. */
public class NettyProbe implements java.util.function.Function<String, String> {
    @Override
    public String apply(String in) {
        try {
            new DefaultHttpHeaders(true).set("X-Test", List.of(in));
            return "accepted";
        } catch (IllegalArgumentException e) {
            return "ERROR " + e;
        }
    }
}
