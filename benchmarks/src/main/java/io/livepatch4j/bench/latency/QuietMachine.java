package io.livepatch4j.bench.latency;

import java.util.function.LongSupplier;

/**
 * The machine is shared (two CPUs; other engineers' builds and benchmarks come and go), and a run
 * measured while something else takes a CPU says more about that than about patching. Between
 * runs, when none of the harness's servers runs, this waits (within a budget) until the machine is
 * nearly idle; after a run, {@link #disturbed} says whether other processes took enough CPU that
 * the run should be repeated. Reruns are decided on this measure of interference only, never on
 * the latency a run measured.
 */
public final class QuietMachine {

    /**
     * Other processes' CPU at normal priority (percent of one CPU) below which the machine counts as idle.
     */
    public static final double IDLE_BELOW_PCT = 15;
    /**
     * Other processes' CPU during a run (percent of one CPU) above which the run is repeated if time allows.
     */
    static final double DISTURBED_ABOVE_PCT = 10;

    private QuietMachine() {}

    static boolean disturbed(ScenarioResult r) {
        return r.ran() && r.cpu().other() > DISTURBED_ABOVE_PCT;
    }

    /**
     * Samples other processes' CPU each second until it is idle or {@code maxWaitNanos} passed;
     * returns the seconds waited.
     */
    public static double awaitIdle(long maxWaitNanos) {
        return awaitIdle(maxWaitNanos, QuietMachine::othersOverOneSecond, System::nanoTime);
    }

    static double awaitIdle(long maxWaitNanos, java.util.function.DoubleSupplier busyPct,
                            LongSupplier clock) {
        long start = clock.getAsLong();
        while (clock.getAsLong() - start < maxWaitNanos) {
            if (busyPct.getAsDouble() < IDLE_BELOW_PCT) {
                break;
            }
        }
        return (clock.getAsLong() - start) / 1e9;
    }

    /** Processes at nice > 0 yield the CPUs to the server, so they do not count (see OtherCpu). */
    private static double othersOverOneSecond() {
        OtherCpu.Snapshot a = OtherCpu.take();
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        return OtherCpu.otherPercent(a, OtherCpu.take(), java.util.Set.of(ProcessHandle.current().pid()),
                false);
    }
}
