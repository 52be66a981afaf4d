package probes;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.lookup.Interpolator;
import org.apache.logging.log4j.core.lookup.StrSubstitutor;
import org.apache.logging.log4j.message.SimpleMessage;

import java.util.Map;

/** P4, CVE-2021-45105: a context value that refers to itself recurses without end. Input: the value of ctx:x. */
public class Log4jRecursionProbe implements java.util.function.Function<String, String> {
    @Override
    @SuppressWarnings("deprecation")
    public String apply(String in) {
        LogEvent event = Log4jLogEvent.newBuilder().setMessage(new SimpleMessage("m")).setContextMap(Map.of("x", in)).build();
        try {
            return new StrSubstitutor(new Interpolator()).replace(event, "${ctx:x}");
        } catch (Throwable e) {
            return "ERROR " + e;
        }
    }
}
