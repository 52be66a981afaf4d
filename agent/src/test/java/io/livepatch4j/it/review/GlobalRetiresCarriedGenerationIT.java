package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Rv;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Follow-on of GlobalCarriedTaskIT: a global rollback retires G1 while a G1 unit's task is still
 * queued (runGlobal ignores Unit.open()). A later local patch (v3) puts the sites back to selecting;
 * the task then runs with its pinned G1, whose version was retired and released.
 */
class GlobalRetiresCarriedGenerationIT {

    @Test
    @Timeout(60)
    void aQueuedTaskOfARetiredGenerationRunsItsCode() throws Exception {
        Patch v2 = ReviewPatches.rvV2();
        Patch v3 = ReviewPatches.rvV3();
        LivePatch.apply(v2, Strategy.LOCAL);
        LivePatch.awaitTransition(Duration.ofSeconds(5));
        ScheduledThreadPoolExecutor ses = new ScheduledThreadPoolExecutor(1);
        AtomicReference<String> ran = new AtomicReference<>();
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        try {
            // The worker is busy, so the unit's task (due now: it carries the unit) waits queued; a
            // delayed task would begin a unit of its own (docs/agent.md, Work that carries a unit).
            ses.submit(() -> gate.await(10, TimeUnit.SECONDS));
            String unit = Quiescence.call(() -> {
                task.set(ses.schedule(() -> {
                    try {
                        ran.set(Rv.v());
                    } catch (Throwable t) {
                        ran.set("threw " + t);
                    }
                }, 0, TimeUnit.MILLISECONDS));
                return Rv.v();
            });
            Thread opener = new Thread(() -> {
                java.util.concurrent.locks.LockSupport.parkNanos(300_000_000L);
                gate.countDown();
            });
            opener.start();
            LivePatch.rollback(0, Strategy.GLOBAL); // G2: returns although the G1 unit's task is queued
            Thread holder = new Thread(() -> Quiescence.run(() -> {
                Rv.v();
                try {
                    hold.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }), "g2-unit");
            holder.start();
            Thread.sleep(200);
            LivePatch.apply(v3, Strategy.LOCAL); // G3, kept running by the G2 unit: sites select
            task.get().get(10, TimeUnit.SECONDS);
            hold.countDown();
            holder.join();
            System.out.println("[review] G1 unit saw " + unit + "; its task, run after G1 was retired, saw: " + ran.get()
                + "; status: " + io.livepatch4j.agent.tooling.StatusJson.of(LivePatch.status()).replaceAll("\\s+", " ").substring(0, 600));
            assertEquals("v2", ran.get(), "the G1 unit's task must run G1 code");
        } finally {
            gate.countDown();
            hold.countDown();
            ses.shutdownNow();
        }
    }
}
