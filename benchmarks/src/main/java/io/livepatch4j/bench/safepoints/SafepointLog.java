package io.livepatch4j.bench.safepoints;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the lines HotSpot writes with {@code -Xlog:safepoint,handshake:file=F:uptime,timenanos,tags}:
 * one line per global safepoint and one per handshake, written when the operation ends. JDK 17:
 * <pre>
 * [1.234s][4841757265040ns][safepoint] Safepoint "G1CollectFull", Time since last: 34585220 ns, Reaching safepoint: 96133 ns, Cleanup: 9064 ns, At safepoint: 2978955 ns, Total: 3084152 ns
 * [0.048s][4841753939197ns][handshake] Handshake "Deoptimize", Targeted threads: 11, Executed by requesting thread: 11, Total completion time: 67631 ns
 * </pre>
 * JDK 25 drops "Cleanup" and adds "Leaving safepoint" and a thread count; both parse. The
 * {@code timenanos} decoration is {@code os::javaTimeNanos}, the clock of {@code System.nanoTime()}
 * (CLOCK_MONOTONIC on Linux, shared by every process), which is how operations are matched to the
 * windows a program records with {@code System.nanoTime()}.
 */
public final class SafepointLog {

    public enum Kind { SAFEPOINT, HANDSHAKE }

    /**
     * One VM operation. {@code endNanos} is the line's timenanos (written at the end);
     * {@code durationNanos} is the safepoint's "Total" (reaching + at safepoint: the pause of
     * application threads) or the handshake's "Total completion time".
     */
    public record VmOperation(Kind kind, String name, long endNanos, long durationNanos, double uptimeSeconds) {
        public long startNanos() {
            return endNanos - durationNanos;
        }
    }

    private static final Pattern DECORATION = Pattern.compile("^\\[([^\\]]*)\\]");
    private static final Pattern SAFEPOINT = Pattern.compile("^Safepoint \"([^\"]+)\",.*\\bTotal: (\\d+) ns");
    private static final Pattern HANDSHAKE = Pattern.compile(
        "^Handshake \"([^\"]+)\",.*\\bTotal completion time: (\\d+) ns");
    private static final Pattern NANOS = Pattern.compile("(\\d+)ns");
    private static final Pattern UPTIME = Pattern.compile("(\\d+(?:\\.\\d+)?)s");

    private SafepointLog() {}

    /** The operation a line reports, or empty for any other line (other tags, levels, or no timenanos). */
    public static Optional<VmOperation> parse(String line) {
        String rest = line.strip();
        long nanos = -1;
        double uptime = Double.NaN;
        Matcher d;
        while ((d = DECORATION.matcher(rest)).find()) {
            String deco = d.group(1).strip();
            Matcher n = NANOS.matcher(deco);
            Matcher u = UPTIME.matcher(deco);
            if (n.matches()) {
                nanos = Long.parseLong(n.group(1));
            } else if (u.matches()) {
                uptime = Double.parseDouble(u.group(1));
            }
            rest = rest.substring(d.end()).stripLeading();
        }
        if (nanos < 0) {
            return Optional.empty();
        }
        Matcher m = SAFEPOINT.matcher(rest);
        if (m.find()) {
            return Optional.of(new VmOperation(Kind.SAFEPOINT, m.group(1), nanos, Long.parseLong(m.group(2)), uptime));
        }
        m = HANDSHAKE.matcher(rest);
        if (m.find()) {
            return Optional.of(new VmOperation(Kind.HANDSHAKE, m.group(1), nanos, Long.parseLong(m.group(2)), uptime));
        }
        return Optional.empty();
    }

    public static List<VmOperation> parseAll(List<String> lines) {
        List<VmOperation> ops = new ArrayList<>();
        for (String l : lines) {
            parse(l).ifPresent(ops::add);
        }
        return ops;
    }

    /** The -Xlog option that writes what {@link #parse} reads to {@code file}. */
    public static String xlogOption(String file) {
        return "-Xlog:safepoint=info,handshake=info:file=" + file + ":uptime,timenanos,tags";
    }
}
