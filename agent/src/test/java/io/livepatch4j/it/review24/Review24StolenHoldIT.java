package io.livepatch4j.it.review24;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.Pools;
import io.livepatch4j.it.support.SharedTask;
import io.livepatch4j.it.support.TestPatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The interleaving behind {@code Review24PolicyChainIT}'s leak under CPU contention, made
 * deterministic: one task object, whose runs take the oldest hold of their executor, has a run take
 * the hold of a submission that is still going on and is then refused (its policy throws). The copy
 * that ran leaves its own hold with no run to take it; that hold kept its unit, and so the next
 * transition, open for good.
 */
@ExtendWith(BackToLoadedCode.class)
class Review24StolenHoldIT {

    private final SharedTask task = new SharedTask("stolen");

    @Test
    @Timeout(60)
    void aRunThatTookARefusedSubmissionsHoldLeavesNoHoldBehind() throws Exception {
        CountDownLatch inPolicy = new CountDownLatch(1);
        CountDownLatch refuse = new CountDownLatch(1);
        ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1),
            r -> new Thread(r, "P"), Pools.refuseWhen(inPolicy, refuse, "refused by the application's policy"));
        CountDownLatch worker = new CountDownLatch(1);
        AtomicReference<Throwable> refusedAt = new AtomicReference<>();
        try {
            Pools.occupy(p, worker);
            // U0's copy queues (the queue's one place); U1's is rejected, and its policy waits in U1's submission.
            task.submitFromUnit(p);
            Thread b = task.submitFromUnitOn("B", p, refusedAt);
            assertTrue(inPolicy.await(10, TimeUnit.SECONDS), "B's submission is rejected and in its policy");
            // The application takes U0's copy out of the queue (its hold goes with it); U2's copy takes the place.
            assertTrue(p.remove(task.flush), "U0's copy was queued");
            task.submitFromUnit(p);
            // The worker runs U2's copy: the oldest hold on P is U1's, whose submission is still going on.
            worker.countDown();
            task.awaitRuns(1);
            assertEquals(1, task.ran.size(), "U2's copy ran: " + task.ran);
            refuse.countDown();
            b.join(10_000);
            assertTrue(refusedAt.get() instanceof RejectedExecutionException, "U1's submission was refused: " + refusedAt);
            // Every copy ran or was refused: no unit may still be held. A transition shows one left behind.
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            assertTrue(Pools.awaitWithGc(5), "no hold left behind: " + Pools.status());
        } finally {
            worker.countDown();
            refuse.countDown();
            p.shutdownNow();
        }
    }
}
