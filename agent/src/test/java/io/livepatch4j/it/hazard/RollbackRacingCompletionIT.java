package io.livepatch4j.it.hazard;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Status;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.hazard.app.Pair;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.Consistency;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hazard 2 of issue 10: a rollback racing the completion of the transition it reverses. The
 * rollback to G0 completes on its monitor thread within microseconds (nothing holds it back), so a
 * rollback to G1 issued right after it often runs while that completion releases the versions it
 * considers retired, G1's among them, which the new transition targets. A released version makes
 * dispatch fall back, silently, to the code as loaded. The race window is narrow, so the test runs
 * it hundreds of times (bounded in time) and checks every outcome.
 */
@ExtendWith(BackToLoadedCode.class)
class RollbackRacingCompletionIT {

    private static final int CYCLES = 400;
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(15);

    @Test
    @Timeout(60)
    void rollbackRacingCompletionNeverRunsWrongCode() throws Exception {
        ApplyResult g1 = LivePatch.apply(TestPatches.hazard("pair", "Pair"), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the apply completes");
        assertEquals("v2+v2", Quiescence.call(Pair::pair));

        // Short units keep running meanwhile, so completions happen at varied moments.
        Consistency load = new Consistency();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> loaders = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    try {
                        Quiescence.run(() -> {
                            String[] p = Pair.pair().split("\\+");
                            load.unit(p[0], p[1]);
                        });
                    } catch (Throwable e) {
                        load.error(e);
                    }
                    LockSupport.parkNanos(50_000);
                }
            }, "load-" + i);
            t.start();
            loaders.add(t);
        }
        int cycles = 0;
        try {
            long start = System.nanoTime();
            for (; cycles < CYCLES && System.nanoTime() - start < MAX_NANOS; cycles++) {
                LivePatch.rollback(g1.fromGeneration(), Strategy.LOCAL);
                // Immediately: the rollback to G0 may be completing on its monitor thread right now.
                LivePatch.rollback(g1.generation(), Strategy.LOCAL);
                if (!LivePatch.awaitTransition(Duration.ofSeconds(10))) {
                    fail("cycle " + cycles + ": the rollback to G1 did not complete: "
                        + io.livepatch4j.agent.tooling.StatusJson.of(LivePatch.status()));
                }
                String label = labelOfCurrent();
                assertEquals("rollback to G" + g1.generation(), label, "cycle " + cycles + ": status names the current generation");
                String inUnit = Quiescence.call(Pair::pair);
                String direct = Pair.pair();
                assertEquals("v2+v2 v2+v2", inUnit + " " + direct, "cycle " + cycles + " of " + CYCLES + ": G"
                    + LivePatch.currentGeneration() + " ('" + label + "') is current, yet a new unit and a plain call ran"
                    + " this code (v1 is the code as loaded, the rollback's target is v2)");
            }
        } finally {
            running.set(false);
            for (Thread t : loaders) {
                t.join();
            }
        }
        assertTrue(cycles >= 100, "enough races ran in the time allowed: " + cycles);
        assertEquals(List.of(), load.errors(), "nothing threw");
        assertEquals(List.of(), load.mixed(), "no unit of work saw two generations");
    }

    private static String labelOfCurrent() {
        Status s = LivePatch.status();
        return s.generations().stream().filter(g -> g.number() == s.currentGeneration())
            .map(Status.GenerationStatus::label).findFirst().orElse("?");
    }
}
