package io.livepatch4j.bench.latency;

import io.livepatch4j.bench.safepoints.SafepointLog;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The global safepoints of the server JVM(s) in the measured period, from HotSpot's log: how many,
 * their total pause (time to reach the safepoint plus time at it, which every application thread
 * waits), how many of them overlapped an apply, rollback, restart or restore, and their names.
 */
record Safepoints(int count, double pauseMillis, int duringDisruptions, double pauseDuringMillis,
                  int handshakes, Map<String, Integer> names) {

    static Safepoints of(List<SafepointLog.VmOperation> ops, long fromNanos, long untilNanos,
                         List<Disruption> events) {
        int count = 0;
        int during = 0;
        int handshakes = 0;
        long pause = 0;
        long pauseDuring = 0;
        Map<String, Integer> names = new TreeMap<>();
        for (SafepointLog.VmOperation op : ops) {
            if (op.endNanos() < fromNanos || op.startNanos() >= untilNanos) {
                continue;
            }
            if (op.kind() == SafepointLog.Kind.HANDSHAKE) {
                handshakes++;
                continue;
            }
            count++;
            pause += op.durationNanos();
            names.merge(op.name(), 1, Integer::sum);
            if (overlapsAny(op, events)) {
                during++;
                pauseDuring += op.durationNanos();
            }
        }
        return new Safepoints(count, pause / 1e6, during, pauseDuring / 1e6, handshakes, names);
    }

    private static boolean overlapsAny(SafepointLog.VmOperation op, List<Disruption> events) {
        for (Disruption d : events) {
            if (op.startNanos() <= d.endNanos() && op.endNanos() >= d.startNanos()) {
                return true;
            }
        }
        return false;
    }

    /** e.g. "G1Evacuation Pause ×3, RedefineClasses ×24". */
    String namesText() {
        StringBuilder b = new StringBuilder();
        names.forEach((n, c) -> b.append(b.length() == 0 ? "" : ", ").append(n).append(" ×").append(c));
        return b.length() == 0 ? "none" : b.toString();
    }
}
