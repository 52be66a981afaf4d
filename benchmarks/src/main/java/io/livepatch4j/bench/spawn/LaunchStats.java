package io.livepatch4j.bench.spawn;

import java.util.Arrays;

/**
 * Order statistics over one cell's launch latencies. Nearest-rank percentiles, the same
 * definition as {@code lp4j-native spawn-bench}, so the C and Java tables compare directly.
 */
public record LaunchStats(int runs, double medianUs, double p99Us, double minUs, double maxUs, double meanUs) {

    /** Summarises latencies given in nanoseconds; the array is not modified. */
    public static LaunchStats ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no samples: a cell needs at least one run");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long n : sorted) {
            sum += n;
        }
        return new LaunchStats(sorted.length, percentile(sorted, 50) / 1e3, percentile(sorted, 99) / 1e3,
                sorted[0] / 1e3, sorted[sorted.length - 1] / 1e3, sum / sorted.length / 1e3);
    }

    /** The smallest sample with at least p% of the samples at or below it. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
    }
}
