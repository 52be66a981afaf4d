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

import java.util.List;
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
 * that ran left its own hold with no run to take it; that hold kept its unit, and so the next
 * transition, open for good.
 */
@ExtendWith(BackToLoadedCode.class)
class Review24StolenHoldIT {

    private final SharedTask task = new SharedTask("stolen");

    @Test
    @Timeout(60)
    void aRunThatTookARefusedSubmissionsHoldLeavesNoHoldBehind() throws Exception {
        interleave(() -> { });
        assertEquals(1, task.ran.size(), "U2's copy ran: " + task.ran);
        // Every copy ran or was refused: no unit may still be held. A transition shows one left behind.
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        assertTrue(Pools.awaitWithGc(5), "no hold left behind: " + Pools.status());
    }

    /**
     * Review 30: the same with the submitters in different generations. U1 (G0) is in its rejection
     * policy when a patch is applied; U2, a G1 unit, queues a copy; the worker's run of U2's copy took
     * the oldest hold on P, U1's, and ran G0 code for a G1 unit. docs/agent.md promises each copy runs
     * "in the unit that submitted it there"; DESIGN.md: each unit runs exactly the code of the
     * generation it pinned. (The compensation alone kept the counts right, but not the generations.)
     */
    @Test
    @Timeout(60)
    void aG1UnitsCopyDoesNotRunInTheRefusedG0SubmissionsUnit() throws Exception {
        String[] generations = interleave(() -> LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL));
        assertEquals(List.of("v1", "v2"), List.of(generations), "U0 submitted in G0, U2 in G1");
        assertEquals(List.of("P=v2"), task.ran, "U2 (G1) submitted the only copy that ran");
        assertTrue(Pools.awaitWithGc(10), "no hold left behind: " + Pools.status());
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * On P (one worker, one queue place, a policy that waits and then refuses): U0's copy queues; U1's
     * submission is rejected and waits in its policy; the application takes U0's copy out of the
     * queue (its hold goes with it); {@code beforeU2} runs; U2's copy takes the place; the worker runs
     * it while U1's submission, the oldest hold on P, is still going on; then U1 is refused. Returns
     * the code U0 and U2 ran as they submitted.
     */
    private String[] interleave(Step beforeU2) throws Exception {
        CountDownLatch inPolicy = new CountDownLatch(1);
        CountDownLatch refuse = new CountDownLatch(1);
        ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1),
            r -> new Thread(r, "P"), Pools.refuseWhen(inPolicy, refuse, "refused by the application's policy"));
        CountDownLatch worker = new CountDownLatch(1);
        AtomicReference<Throwable> refusedAt = new AtomicReference<>();
        try {
            Pools.occupy(p, worker);
            String u0 = task.submitFromUnit(p);
            Thread b = task.submitFromUnitOn("B", p, refusedAt);
            assertTrue(inPolicy.await(10, TimeUnit.SECONDS), "B's submission is rejected and in its policy");
            assertTrue(p.remove(task.flush), "U0's copy was queued");
            beforeU2.run();
            String u2 = task.submitFromUnit(p);
            worker.countDown();
            task.awaitRuns(1);
            refuse.countDown();
            b.join(10_000);
            assertTrue(refusedAt.get() instanceof RejectedExecutionException, "U1's submission was refused: " + refusedAt);
            return new String[] {u0, u2};
        } finally {
            worker.countDown();
            refuse.countDown();
            p.shutdownNow();
        }
    }
}
