package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.Generations;
import io.livepatch4j.agent.bootstrap.Units;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.PatchFormat;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.time.Duration;

/**
 * The in-process API: apply a patch, roll back, reverse a transition in progress, read the status.
 * The same operations are offered by the JMX MBean {@code io.livepatch4j:type=LivePatch} and, from
 * outside the JVM, by {@code lp4j}. Every method refuses with a {@link PatchException} whose message
 * says what was refused and why; a refused operation changes nothing.
 */
public final class LivePatch {

    /**
     * The patcher, set up off the application's start path in prepared mode (StartInBackground): a
     * caller that comes first builds it itself (FutureTask.run does nothing once another thread runs
     * or ran it) or waits for the thread that does.
     */
    private static volatile FutureTask<Patcher> patcher;

    private LivePatch() {}

    static void install(FutureTask<Patcher> building) {
        patcher = building;
    }

    /** Whether the agent is loaded in this JVM. */
    public static boolean loaded() {
        return patcher != null;
    }

    public static ApplyResult apply(Path patchFile, Strategy strategy) throws PatchException {
        return apply(PatchFormat.readFile(patchFile), patchFile.toString(), strategy);
    }

    /**
     * Reads the patch file and applies it. When the agent trusts only signed patches, the reader checks
     * the signature over patch.json before it inflates anything else: an unsigned or foreign file costs
     * its patch.json and is refused (issue 14, item 4).
     */
    public static ApplyResult apply(byte[] patchFile, String source, Strategy strategy) throws PatchException {
        Patcher p = patcher();
        return ApplyEvents.record("patch from " + source, strategy,
            () -> p.apply(PatchFormat.read(patchFile, source, p.trustedKeys()), strategy));
    }

    public static ApplyResult apply(Patch patch, Strategy strategy) throws PatchException {
        Patcher p = patcher();
        return ApplyEvents.record("patch " + patch.id(), strategy, () -> p.apply(patch, strategy));
    }

    /**
     * Rolls back to the code of generation {@code to} (0 is the code as loaded), as a new generation.
     * While a transition runs this reverses it: threads that already moved move back.
     */
    public static ApplyResult rollback(long to, Strategy strategy) throws PatchException {
        Patcher p = patcher();
        return ApplyEvents.record("rollback to G" + to, strategy, () -> p.rollback(to, strategy));
    }

    /**
     * Undoes the last change: reverses the transition in progress, or rolls back to the newest
     * generation before the current one.
     */
    public static ApplyResult rollback(Strategy strategy) throws PatchException {
        Patcher p = patcher();
        return ApplyEvents.record("rollback of the last change", strategy, () -> p.rollback(-1, strategy));
    }

    /** Reverses the transition in progress: every thread goes back to the code it came from. */
    public static ApplyResult reverse() throws PatchException {
        Patcher p = patcher();
        Transition t = p.transition();
        if (t == null || t.state() != Transition.State.RUNNING) {
            throw new PatchException("refused: no transition is in progress; 'lp4j rollback' makes a new one");
        }
        long to = t.source().number();
        return ApplyEvents.record("rollback to G" + to, t.strategy(), () -> p.rollback(to, t.strategy()));
    }

    public static Status status() {
        return StatusReport.of(patcher());
    }

    /** Waits until the transition in progress (if any) ends; true if none is left running. */
    public static boolean awaitTransition(Duration timeout) throws InterruptedException {
        Transition t = patcher().transition();
        return t == null || t.await(timeout.toMillis()); // returns once status shows the end, too
    }

    /**
     * Waits until the post-apply and post-rollback callbacks of the transitions that completed so far
     * have run (they run on the agent's callback thread); true if they did within the timeout.
     */
    public static boolean awaitCallbacks(Duration timeout) throws InterruptedException {
        return PatchHooks.awaitQueued(timeout);
    }

    /** The generation that units of work starting now run. */
    public static long currentGeneration() {
        return Generations.current().number();
    }

    /** The generation the calling thread runs (the same as Quiescence.generation()). */
    public static long threadGeneration() {
        return Units.generation();
    }

    static Patcher patcher() {
        FutureTask<Patcher> p = patcher;
        if (p == null) {
            throw new IllegalStateException("the livepatch4j agent is not loaded in this JVM: start it with "
                + "-javaagent:livepatch4j-agent.jar or attach it with 'lp4j apply --pid'");
        }
        p.run();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return p.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the patcher is built in moments: finish waiting, keep the interrupt
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("the livepatch4j agent could not set up its patcher: " + e.getCause(), e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
