package io.livepatch4j.bench.latency;

import io.livepatch4j.bench.load.OpenLoopLoad;

/**
 * The two request mixes. {@code short}: reads, writes and leak probes, each a few hundred
 * microseconds of work. {@code mixed}: the same with about 1% long /report scans of 100-500 ms
 * (4-18 passes of ~28 ms at 100k keys), the case where waiting for global quiescence hurts: a
 * barrier must wait for the longest request in flight, and every request that arrives meanwhile
 * waits with it.
 */
enum Workload {
    SHORT("short", 0.0),
    MIXED("mixed", 0.01);

    static final int MIN_PASSES = 4;
    static final int MAX_PASSES = 18;
    static final double PROBE_SHARE = 0.02;
    static final double PUT_SHARE = 0.20;

    private final String word;
    private final double longShare;

    Workload(String word, double longShare) {
        this.word = word;
        this.longShare = longShare;
    }

    String word() {
        return word;
    }

    boolean hasLongRequests() {
        return longShare > 0;
    }

    OpenLoopLoad.Mix mix(double rate, int keys) {
        return new OpenLoopLoad.Mix(rate, keys, longShare, MIN_PASSES, PROBE_SHARE, PUT_SHARE, MAX_PASSES);
    }

    String description() {
        return hasLongRequests()
                ? String.format(java.util.Locale.ROOT,
                        "%.0f%% long `/report` scans of %d-%d passes (~%d-%d ms), %.0f%% leak probes, "
                                + "%.0f%% writes, the rest reads",
                        longShare * 100, MIN_PASSES, MAX_PASSES, MIN_PASSES * 28, MAX_PASSES * 28,
                        PROBE_SHARE * 100, PUT_SHARE * 100)
                : String.format(java.util.Locale.ROOT,
                        "short requests only: %.0f%% leak probes, %.0f%% writes, the rest reads",
                        PROBE_SHARE * 100, PUT_SHARE * 100);
    }

    static Workload parse(String word) {
        for (Workload w : values()) {
            if (w.word.equals(word)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + word
                + "'; the workloads are short and mixed");
    }
}
