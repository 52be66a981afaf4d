package io.livepatch4j.agent.tooling;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10: a rollback racing a transition's completion, thousands of times in one JVM, at the
 * Lifecycle level (the real Lifecycle, Transition and Patcher.rollback; see {@link LifecycleDriver}).
 *
 * <p>Each round starts from a completed patched generation Gc (the defect needs one: completion
 * keeps the original, so only a patched version can be released wrongly). It applies the next patch
 * (Ga, running), then one thread does what Ga's monitor does ({@code tryComplete} of the transition
 * it holds) while another rolls back to Gc's code. After both, the invariants must hold, and a unit
 * of work started then must run Gc's version; then the rollback's transition is completed and they
 * are checked again. A random spin before each side makes both orders happen.
 *
 * <p>{@code -Dlp4j.stress.rounds=N} raises the number of rounds (default 2000).
 */
class RollbackCompletionStressTest {

    @Test
    void rollbackRacingCompletionNeverRunsOtherCode() throws Throwable {
        int rounds = Integer.getInteger("lp4j.stress.rounds", 1000);
        LifecycleDriver d = LifecycleDriver.withPatcher();
        d.applyPatch();
        assertTrue(d.completeNewest(), "the first patch completes");
        d.assertInvariants("the first patch");

        List<String> wrong = new ArrayList<>();
        int completedFirst = 0;
        int rolledBackFirst = 0;
        long start = System.nanoTime();
        int round = 0;
        for (; round < rounds; round++) {
            int before = LifecycleDriver.returns(Lifecycle.versionIn(io.livepatch4j.agent.bootstrap.Generations.current(), d.host));
            d.applyPatch();
            Transition applied = d.lifecycle.transition();

            AtomicInteger ready = new AtomicInteger();
            AtomicReference<Boolean> completed = new AtomicReference<>();
            AtomicReference<String> rolledBack = new AtomicReference<>();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            int spinComplete = ThreadLocalRandom.current().nextInt(2000);
            int spinRollback = ThreadLocalRandom.current().nextInt(2000);
            Thread monitor = new Thread(() -> {
                go(ready, spinComplete);
                try {
                    completed.set(d.complete(applied));
                } catch (Throwable e) {
                    failed.set(e);
                }
            }, "stress-complete");
            Thread rollback = new Thread(() -> {
                go(ready, spinRollback);
                try {
                    rolledBack.set(d.rollback());
                } catch (Throwable e) {
                    failed.set(e);
                }
            }, "stress-rollback");
            monitor.start();
            rollback.start();
            monitor.join();
            rollback.join();
            if (failed.get() != null) {
                throw failed.get();
            }
            if (completed.get()) {
                completedFirst++;
            } else {
                rolledBackFirst++;
            }

            check(d, wrong, round, "the race (" + (completed.get() ? "completion" : "rollback") + " first, "
                + rolledBack.get() + ")", before);
            if (!d.completeNewest()) {
                wrong.add("round " + round + ": the rollback's transition did not complete | " + d.status());
            }
            check(d, wrong, round, "completing the rollback", before);
            if (wrong.size() > 20) {
                round++;
                break; // enough to see what went wrong
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("RollbackCompletionStressTest: %d rounds in %d ms: completion first %d, rollback first %d, "
            + "wrong outcomes %d%n", round, millis, completedFirst, rolledBackFirst, wrong.size());
        assertEquals(List.of(), wrong, "wrong outcomes");
    }

    /** The invariants, and a unit of work started now runs the version of the generation it rolled back to. */
    private static void check(LifecycleDriver d, List<String> wrong, int round, String after, int expected) {
        for (String v : d.violations()) {
            wrong.add("round " + round + ", after " + after + ": " + v + " | " + d.status());
        }
        try {
            int ran = d.runInUnit();
            if (ran != expected) {
                wrong.add("round " + round + ", after " + after + ": a new unit ran version " + ran + ", expected "
                    + expected + " | " + d.status());
            }
        } catch (Throwable e) {
            wrong.add("round " + round + ", after " + after + ": a new unit failed: " + e + " | " + d.status());
        }
    }

    private static void go(AtomicInteger ready, int spin) {
        ready.incrementAndGet();
        while (ready.get() < 2) {
            Thread.onSpinWait();
        }
        for (int i = 0; i < spin; i++) {
            Thread.onSpinWait();
        }
    }
}
