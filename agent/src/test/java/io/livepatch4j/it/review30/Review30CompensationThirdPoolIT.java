package io.livepatch4j.it.review30;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.Pools;
import io.livepatch4j.it.support.SharedTask;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * f6f5c6a's compensation (Carriers.remove giving up "another hold in its place") picks the wrong hold
 * when the run that took the refused submission's hold ran on the executor the policy handed the
 * task to (Q), and a copy of the same object is queued on a third executor (R) from a unit of the
 * older generation. The refusal looks for a hold on P (its heldAt, moved back from Q), finds none,
 * and falls back to the oldest hold of all: R's G0 unit's. That unit is released while its copy is
 * still queued; the transition completes under it, and when R runs the copy it takes the hold Q's
 * run left (a G1 unit's) and runs G1 code. Before the fix R's copy took its own hold and ran G0
 * (the G1 hold then leaked, the defect f6f5c6a fixed). A correct fix gives up the hold the
 * stealing run left (Q's), not R's: R's copy runs G0, and no hold is left behind.
 */
@ExtendWith(BackToLoadedCode.class)
class Review30CompensationThirdPoolIT {

    private final SharedTask task = new SharedTask("third");

    private static ThreadPoolExecutor pool(String name, java.util.concurrent.RejectedExecutionHandler policy) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1), r -> new Thread(r, name), policy);
    }

    @Test
    @Timeout(90)
    void aRefusalAfterARunOnTheSecondPoolDoesNotReleaseAThirdPoolsQueuedCopy() throws Exception {
        CountDownLatch inQPolicy = new CountDownLatch(1);
        CountDownLatch refuseQ = new CountDownLatch(1);
        ThreadPoolExecutor r = pool("R", new ThreadPoolExecutor.AbortPolicy());
        ThreadPoolExecutor q = pool("Q", Pools.refuseWhen(inQPolicy, refuseQ, "Q refuses"));
        ThreadPoolExecutor p = pool("P", (t, self) -> q.execute(t)); // hands it on; Q's refusal propagates
        CountDownLatch rGate = new CountDownLatch(1);
        CountDownLatch qGate = new CountDownLatch(1);
        CountDownLatch pGate = new CountDownLatch(1);
        AtomicReference<Throwable> refused = new AtomicReference<>();
        try {
            // UR, a G0 unit, queues a copy on R; its hold is the oldest of the object's. (Its thread pins G0
            // before the patch and submits after it, so that no worker's own G0 unit holds the transition.)
            CountDownLatch pinned = new CountDownLatch(1);
            CountDownLatch submit = new CountDownLatch(1);
            AtomicReference<String> urSaw = new AtomicReference<>();
            Thread a = new Thread(() -> {
                try {
                    urSaw.set(Quiescence.call(() -> {
                        String v = task.greeter.first();
                        pinned.countDown();
                        Pools.await(submit);
                        r.execute(task.flush);
                        return v;
                    }));
                } catch (Exception e) {
                    urSaw.set(String.valueOf(e));
                }
            }, "A");
            a.start();
            assertTrue(pinned.await(10, TimeUnit.SECONDS));
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            Pools.occupy(r, rGate);
            Pools.occupy(q, qGate);
            Pools.occupy(p, pGate);
            submit.countDown();
            a.join(10_000);
            String ur = urSaw.get();
            Runnable pFiller = () -> { };
            Runnable qFiller = () -> { };
            p.execute(pFiller); // P's queue full
            q.execute(qFiller); // Q's queue full
            // U1 (G1) submits to P: rejected, P's policy hands it to Q, rejected, Q's policy waits.
            Thread b = task.submitFromUnitOn("B", p, refused);
            assertTrue(inQPolicy.await(10, TimeUnit.SECONDS), "U1's copy is in Q's policy");
            // UQ (G1) queues a copy on Q; Q's worker runs it and takes the oldest hold on Q: U1's (moved there).
            assertTrue(q.remove(qFiller));
            String uq = task.submitFromUnit(q);
            qGate.countDown();
            task.awaitRuns(1);
            assertEquals(List.of("Q=v2"), task.ran);
            refuseQ.countDown();
            b.join(10_000);
            String holdsAfterRefusal = Review30Holds.of(task.flush);
            assertTrue(refused.get() instanceof RejectedExecutionException, "U1's submission was refused: " + refused);
            assertEquals("v1", ur);
            assertEquals("v2", uq);
            // R's copy, submitted from the G0 unit UR, has not run: UR must still be open, the transition waiting for it.
            pGate.countDown(); // P's worker (a G1 unit) goes idle
            boolean completedUnderIt = LivePatch.awaitTransition(Duration.ofSeconds(2));
            String transition = Pools.status();
            rGate.countDown();
            task.awaitRuns(2);
            assertAll(
                () -> assertFalse(completedUnderIt, "the transition completed while UR's (G0) copy was still queued on R: "
                    + transition + "; holds after U1's refusal: " + holdsAfterRefusal),
                () -> assertEquals(List.of("Q=v2", "R=v1"), task.ran, "R's copy runs in its G0 unit"));
            assertTrue(Pools.awaitWithGc(10), "no hold left behind: " + Pools.status() + "; holds: " + Review30Holds.of(task.flush));
        } finally {
            rGate.countDown();
            qGate.countDown();
            pGate.countDown();
            refuseQ.countDown();
            p.shutdownNow();
            q.shutdownNow();
            r.shutdownNow();
        }
    }
}
