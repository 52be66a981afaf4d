package io.livepatch4j.demo.client;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line the demo server prints once it accepts requests,
 * {@code READY port=<port> pid=<pid> keys=<n> version=<v1|v2>}: written here and read here, by
 * every script, harness and test that starts the server, so they cannot disagree on it.
 */
public record ReadyLine(int port, long pid, int keys, String version) {

    private static final Pattern LINE = Pattern.compile("READY port=(\\d+) pid=(\\d+) keys=(\\d+) version=(\\S+)");

    /** The READY line in {@code text} (a line, or a whole log), if there is one. */
    public static Optional<ReadyLine> find(String text) {
        Matcher m = LINE.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new ReadyLine(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)),
            Integer.parseInt(m.group(3)), m.group(4)));
    }

    @Override
    public String toString() {
        return "READY port=" + port + " pid=" + pid + " keys=" + keys + " version=" + version;
    }
}
