package io.livepatch4j.bench.load;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Latency percentiles of the requests due in a time window, from an HdrHistogram (3 significant
 * digits, 1 µs to 60 s). Failed requests are counted, not timed.
 *
 * @param requests requests due in the window; {@code failed} of them failed; {@code mixed} ran mixed versions
 */
public record LatencyStats(String label, long requests, long failed, long mixed, double p50Ms, double p90Ms,
                           double p99Ms, double p999Ms, double maxMs) {

    public static LatencyStats of(String label, List<Sample> samples, Predicate<Sample> in) {
        Histogram h = new Histogram(1_000L, 60_000_000_000L, 3);
        long n = 0;
        long failed = 0;
        long mixed = 0;
        for (Sample s : samples) {
            if (!in.test(s)) {
                continue;
            }
            n++;
            if (s.failed()) {
                failed++;
                continue;
            }
            if (s.mixed()) {
                mixed++;
            }
            h.recordValue(Math.min(Math.max(s.latencyNanos(), 1_000L), 60_000_000_000L));
        }
        if (h.getTotalCount() == 0) {
            return new LatencyStats(label, n, failed, mixed,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new LatencyStats(label, n, failed, mixed,
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
    }

    /** Requests whose due time lies in [from, to) nanoTime. */
    public static Predicate<Sample> dueBetween(long from, long to) {
        return s -> s.intendedNanos() >= from && s.intendedNanos() < to;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    public String row() {
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f |",
                label, requests, failed, mixed, p50Ms, p90Ms, p99Ms, p999Ms, maxMs);
    }

    public static String header() {
        return "| window | requests | failed | mixed | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |\n"
            + "|---|---|---|---|---|---|---|---|---|";
    }
}
