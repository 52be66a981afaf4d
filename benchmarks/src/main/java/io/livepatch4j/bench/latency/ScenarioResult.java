package io.livepatch4j.bench.latency;

import io.livepatch4j.bench.load.LatencyStats;
import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * What one scenario run measured, over its measured period only. {@code all} covers every request;
 * {@code shortOnly} leaves out the long /report scans, whose own length dominates the mixed
 * workload's tail: it shows what a barrier does to the short requests that wait behind a long one.
 * Failed requests are counted, not timed (a refused connection answers fast; its latency would
 * flatter a restart).
 *
 * @param measuredFromNanos the start of the measured period ({@code System.nanoTime()})
 * @param warmupEvents   what was done in the warm-up (the patch scenarios' first apply and rollback), not
 *                       measured
 * @param skipped        why the scenario did not run (CRIU unavailable), or null
 * @param unanswered     requests sent during the run that had neither answered nor failed when the harness
 *                       stopped waiting
 * @param failedSpanMs   from the first failed request's due time to the last one's, or 0
 * @param cpu            where the CPU went during the measured period
 * @param attempts       runs of this scenario (one disturbed by other processes is repeated when time allows;
 *                       the least disturbed is kept)
 */
record ScenarioResult(RunSpec spec, long measuredFromNanos, String skipped, LatencyStats all,
                      LatencyStats shortOnly, Histogram allHistogram, Histogram shortHistogram,
                      List<Disruption> warmupEvents, List<Disruption> events, Transitions transitions,
                      Safepoints safepoints, long unanswered, double failedSpanMs, CpuUse cpu, int attempts) {

    static ScenarioResult skipped(RunSpec spec, String reason) {
        return new ScenarioResult(spec, 0, reason, null, null, null, null, List.of(), List.of(),
                Transitions.of(List.of()), null, 0, 0, CpuUse.UNKNOWN, 1);
    }

    ScenarioResult withAttempts(int n) {
        return new ScenarioResult(spec, measuredFromNanos, skipped, all, shortOnly, allHistogram,
                shortHistogram, warmupEvents, events, transitions, safepoints, unanswered,
                failedSpanMs, cpu, n);
    }

    boolean ran() {
        return skipped == null;
    }

    /** Failed requests, counting those still unanswered when the harness stopped waiting. */
    long failed() {
        return all.failed() + unanswered;
    }
}
