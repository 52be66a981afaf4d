package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Deep;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A thread held back by an old frame of a changed method (Deep.run, entered before the patch) runs, from
 * below that frame, a fork/join task that a G1 unit created. While it runs the carried task its
 * announced generation is G1, and Transition.recheckHeldBack takes "g.sameCodeAs(target)" as "moved",
 * dropping the thread from heldBack although the old frame is still on its stack. The transition
 * completes, and the old frame's next call runs G1 code.
 */
class HeldBackThreadRunsCarriedTaskIT {

    @Test
    @Timeout(60)
    void runningACarriedG1TaskDoesNotReleaseAnOldFrame() throws Exception {
        Patch v2 = ReviewPatches.deepV2();
        CountDownLatch parked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SynchronousQueue<ForkJoinTask<?>> handoff = new SynchronousQueue<>();
        AtomicReference<String> result = new AtomicReference<>();
        AtomicReference<Object> inTask = new AtomicReference<>();
        Thread t = new Thread(() -> result.set(Deep.run(5, () -> {
            parked.countDown();
            try {
                ForkJoinTask<?> task = handoff.take();
                inTask.set(task.invoke());
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })), "held-back");
        t.start();
        parked.await(10, TimeUnit.SECONDS);
        LivePatch.apply(v2, Strategy.LOCAL);
        assertFalse(LivePatch.awaitTransition(Duration.ofMillis(500)), "control: the old frame of Deep.run holds the transition");
        ForkJoinTask<?> task = Quiescence.call(() -> ForkJoinTask.adapt(() -> {
            Thread.sleep(300); // long enough for the monitor (5 ms period) to look
            return Deep.helper();
        }));
        handoff.put(task);
        boolean completed = LivePatch.awaitTransition(Duration.ofSeconds(3));
        String status = StatusJson.of(LivePatch.status());
        release.countDown();
        t.join(10_000);
        System.out.println("[review] held-back thread ran a carried G1 task (" + inTask.get() + "): transition completed while the"
            + " old frame was live=" + completed + ", Deep.run returned " + result.get());
        assertEquals("v1:v1/v1", result.get(), "the old frame of Deep.run called G1 code after the transition completed");
        assertFalse(completed, "the transition completed while a thread still held an old frame of a changed method: " + status);
    }
}
