package io.livepatch4j.bench.latency;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * When to apply or roll back during the measured period: the first at {@code firstNanos}, then one
 * every {@code minGap..maxGap} (uniform jitter, as the WfPatch evaluation patched every ~1.5 s), so
 * patches never line up with a periodic pattern of the load. Seeded: every strategy in a run is
 * disturbed at the same moments.
 */
final class PatchSchedule {

    private PatchSchedule() {}

    /** Offsets from the start of the measured period, in nanoseconds, each below {@code periodNanos}. */
    static List<Long> offsets(long periodNanos, long firstNanos, long minGapNanos, long maxGapNanos,
                              long seed) {
        if (minGapNanos <= 0 || maxGapNanos < minGapNanos) {
            throw new IllegalArgumentException("the gap between patches must be positive and min <= max, not "
                + minGapNanos + ".." + maxGapNanos + " ns");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Long> offsets = new ArrayList<>();
        for (long t = firstNanos; t < periodNanos; t += gap(random, minGapNanos, maxGapNanos)) {
            offsets.add(t);
        }
        return offsets;
    }

    private static long gap(SplittableRandom random, long min, long max) {
        return min == max ? min : min + random.nextLong(max - min + 1);
    }
}
