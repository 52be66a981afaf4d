package probes;

import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.SimpleMessage;

/**
 * P2, CVE-2021-44228 (Log4Shell), its lookup half: a message logged with %m has its ${...} lookups
 * resolved. The layout is built once, as a logging configuration is. The probe resolves ${java:version}
 * only: nothing here opens a connection.
 */
public class Log4jProbe implements java.util.function.Function<String, String> {
    private static final PatternLayout LAYOUT = PatternLayout.newBuilder().withPattern("%m").build();

    @Override
    public String apply(String in) {
        return LAYOUT.toSerializable(Log4jLogEvent.newBuilder().setMessage(new SimpleMessage(in)).build());
    }
}
