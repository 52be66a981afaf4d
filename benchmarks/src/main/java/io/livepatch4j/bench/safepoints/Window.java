package io.livepatch4j.bench.safepoints;

import java.util.Optional;

/**
 * A span of {@code System.nanoTime()} in which something was done (an apply and its transition, a
 * rollback, loading the agent) or deliberately nothing (an idle window of equal length), as the
 * child JVM prints it: {@code WINDOW <kind> <rep> <startNanos> <endNanos> <returnedNanos>}, where
 * {@code returnedNanos} is when the apply or rollback call returned (the rest of the window is the
 * transition running to completion), or -1.
 */
record Window(String kind, int rep, long startNanos, long endNanos, long returnedNanos) {

    Window(String kind, int rep, long startNanos, long endNanos) {
        this(kind, rep, startNanos, endNanos, -1);
    }

    static final String PREFIX = "WINDOW ";

    /** Kinds: what the window holds. "idle-*" windows hold nothing but the load. */
    static final String AGENT_LOAD = "agent-load";
    static final String FIRST_APPLY = "first-apply";
    static final String FIRST_ROLLBACK = "first-rollback";
    static final String APPLY = "apply";
    static final String ROLLBACK = "rollback";
    static final String IDLE = "idle";
    /** The whole measured part of a child's run, for the background rate outside the other windows. */
    static final String RUN = "run";

    long lengthNanos() {
        return endNanos - startNanos;
    }

    boolean idle() {
        return kind.equals(IDLE);
    }

    /** Whether the operation ran (at least partly) inside this window. */
    boolean overlaps(SafepointLog.VmOperation op) {
        return op.startNanos() <= endNanos && op.endNanos() >= startNanos;
    }

    /** From the start until the apply or rollback call returned, or the whole window if not recorded. */
    long callNanos() {
        return returnedNanos < 0 ? lengthNanos() : returnedNanos - startNanos;
    }

    String line() {
        return PREFIX + kind + " " + rep + " " + startNanos + " " + endNanos + " " + returnedNanos;
    }

    static Optional<Window> parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] p = line.substring(PREFIX.length()).trim().split("\\s+");
        if (p.length != 5) {
            throw new IllegalArgumentException("malformed window line: " + line);
        }
        return Optional.of(new Window(p[0], Integer.parseInt(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3]),
            Long.parseLong(p[4])));
    }
}
