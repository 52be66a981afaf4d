package probes;

import org.jsoup.Jsoup;
import org.jsoup.safety.Safelist;

/** P11, CVE-2022-36033: the cleaner keeps a javascript: URL with a control character in it. */
public class JsoupProbe implements java.util.function.Function<String, String> {
    @Override
    public String apply(String in) {
        return Jsoup.clean(in, "http://example.com/", Safelist.basic().preserveRelativeLinks(true));
    }
}
