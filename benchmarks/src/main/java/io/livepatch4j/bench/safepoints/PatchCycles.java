package io.livepatch4j.bench.safepoints;

import io.livepatch4j.agent.bootstrap.Units;
import io.livepatch4j.bench.callcost.ConstantPatch;
import io.livepatch4j.bench.safepoints.patchable.PriceRules;
import io.livepatch4j.control.LivePatchJmx;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The child's measured part: applies the patch and rolls it back, again and again, each inside a
 * window that ends when the transition is complete, each followed by an idle window of the same
 * length. It reaches the agent through its MXBean (the agent's classes are its own), so the windows
 * include a JMX call and the reading of a small patch file. Loaded only once the agent is in the JVM
 * (after the attach, in attach mode).
 */
final class PatchCycles {

    private final Load load;
    private final String strategy;
    private final long gapNanos;
    private final PrintStream out;
    private final java.nio.file.Path patch = ConstantPatch.file("safepoints-price-rules-v2", PriceRules.class, "stamp",
        PriceRules.STAMP_V1, PriceRules.STAMP_V2);

    PatchCycles(Load load, String strategy, long gapMillis, PrintStream out) {
        this.load = load;
        this.strategy = strategy;
        this.gapNanos = TimeUnit.MILLISECONDS.toNanos(gapMillis);
        this.out = out;
    }

    /** Says whether the load's tasks run inside units of work the agent knows (attach mode may differ). */
    String unitKindOfLoad() throws Exception {
        return load.onWorker(Units::inUnit) ? "executor task" : "none: each outermost call into PriceRules is its unit";
    }

    /** Rep 0 is the first apply and rollback (cold); reps 1..n are the steady ones. */
    void run(int reps) throws Exception {
        for (int rep = 0; rep <= reps; rep++) {
            long applied = measured(rep == 0 ? Window.FIRST_APPLY : Window.APPLY, rep,
                () -> LivePatchJmx.apply(patch, strategy));
            expectStamp(PriceRules.STAMP_V2, "after apply " + rep);
            idle(rep, applied);
            long rolledBack = measured(rep == 0 ? Window.FIRST_ROLLBACK : Window.ROLLBACK, rep,
                () -> LivePatchJmx.rollback(0, strategy));
            expectStamp(PriceRules.STAMP_V1, "after rollback " + rep);
            idle(rep, rolledBack);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * Runs the step in a window of its own after a quiet gap; the window ends when the transition it
     * started is complete. Returns the window's length.
     */
    private long measured(String kind, int rep, Step step) throws Exception {
        pause(gapNanos);
        long start = System.nanoTime();
        step.run();
        long returned = System.nanoTime();
        awaitComplete();
        long end = System.nanoTime();
        out.println(new Window(kind, rep, start, end, returned).line());
        return end - start;
    }

    /** A window of the same length with nothing done in it: the background rate under the same load. */
    private void idle(int rep, long length) {
        pause(gapNanos);
        long start = System.nanoTime();
        pause(length);
        long end = System.nanoTime();
        out.println(new Window(Window.IDLE, rep, start, end).line());
    }

    private static void awaitComplete() throws Exception {
        if (!LivePatchJmx.awaitTransition(Duration.ofSeconds(30))) {
            throw new IllegalStateException("the transition did not complete within 30 s: " + LivePatchJmx.statusJson());
        }
    }

    private void expectStamp(int stamp, String when) throws Exception {
        int seen = load.stampSeenByNewTask();
        if (seen != stamp) {
            throw new IllegalStateException(when + ": a new task saw stamp " + Integer.toHexString(seen)
                + ", expected " + Integer.toHexString(stamp));
        }
    }

    private static void pause(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
