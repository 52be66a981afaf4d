package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Rv;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docs/agent.md: `global` gives "every unit of work runs one generation". Transition.runGlobal waits
 * only for threads in units and held-back threads, not for Unit.open() (units held by carried tasks or
 * open requests). A G0 unit schedules a one-shot task (queued, no thread in any unit) and ends; the
 * global switch happens at once; the task then runs G1 code for the G0 unit.
 */
class GlobalCarriedTaskIT {

    @Test
    @Timeout(60)
    void aTaskCarriedFromAG0UnitRunsG0UnderGlobal() throws Exception {
        ScheduledThreadPoolExecutor ses = new ScheduledThreadPoolExecutor(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        io.livepatch4j.patch.Patch v2 = ReviewPatches.rvV2(); // compiled before the clock starts
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        try {
            // The worker is busy, so the unit's task (due now: it carries the unit) waits queued; a
            // delayed task would begin a unit of its own (docs/agent.md, Work that carries a unit).
            ses.submit(() -> gate.await(10, TimeUnit.SECONDS));
            Quiescence.run(() -> {
                seen.add("unit:" + Rv.v());
                task.set(ses.schedule(() -> seen.add("task:" + Rv.v()), 0, TimeUnit.MILLISECONDS));
            });
            Thread opener = new Thread(() -> {
                java.util.concurrent.locks.LockSupport.parkNanos(300_000_000L);
                gate.countDown();
            });
            opener.start();
            long t0 = System.nanoTime();
            LivePatch.apply(v2, Strategy.GLOBAL);
            long applyMillis = (System.nanoTime() - t0) / 1_000_000;
            boolean taskRanBeforeSwitch = task.get().isDone();
            task.get().get(10, TimeUnit.SECONDS);
            System.out.println("[review] global with a carried task: apply took " + applyMillis + " ms, seen " + seen
                + ", generation now " + LivePatch.currentGeneration() + ", task had run when apply returned: " + taskRanBeforeSwitch);
            assertEquals(List.of("unit:v1", "task:v1"), seen, "the G0 unit's carried task ran G1 code");
        } finally {
            gate.countDown();
            ses.shutdownNow();
        }
    }
}
