package io.livepatch4j.it.review30;

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
 * Review24StolenHoldIT's interleaving (the one f6f5c6a says it handles: "each copy in some
 * submitter's unit"), with the two submitters in different generations. U1 (G0) is in its
 * rejection policy when a patch is applied; U2, a G1 unit, queues a copy; the worker's run of U2's
 * copy takes the oldest hold on P, U1's, and runs G0 code for a G1 unit. docs/agent.md promises each
 * copy runs "in the unit that submitted it there"; DESIGN.md: each unit runs exactly the code of the
 * generation it pinned. The compensation keeps the counts right, but not the generations.
 * (Pre-existing: before f6f5c6a the run took the same hold.)
 */
@ExtendWith(BackToLoadedCode.class)
class Review30StolenHoldGenerationIT {

    private final SharedTask task = new SharedTask("stolen-gen");

    @Test
    @Timeout(60)
    void aG1UnitsCopyDoesNotRunInTheRefusedG0SubmissionsUnit() throws Exception {
        CountDownLatch inPolicy = new CountDownLatch(1);
        CountDownLatch refuse = new CountDownLatch(1);
        ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1),
            r -> new Thread(r, "P"), Pools.refuseWhen(inPolicy, refuse, "refused by the application's policy"));
        CountDownLatch worker = new CountDownLatch(1);
        AtomicReference<Throwable> refusedAt = new AtomicReference<>();
        try {
            Pools.occupy(p, worker);
            String u0 = task.submitFromUnit(p); // G0, fills the queue
            Thread b = task.submitFromUnitOn("B", p, refusedAt); // U1, G0: rejected, waits in the policy
            assertTrue(inPolicy.await(10, TimeUnit.SECONDS));
            assertTrue(p.remove(task.flush), "U0's copy was queued");
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            String u2 = task.submitFromUnit(p); // U2, G1
            worker.countDown();
            task.awaitRuns(1);
            refuse.countDown();
            b.join(10_000);
            assertTrue(refusedAt.get() instanceof RejectedExecutionException, "U1's submission was refused: " + refusedAt);
            assertEquals("v1", u0);
            assertEquals("v2", u2);
            assertEquals(List.of("P=v2"), task.ran, "U2 (G1) submitted the only copy that ran");
            assertTrue(Pools.awaitWithGc(10), "no hold left behind: " + Pools.status());
        } finally {
            worker.countDown();
            refuse.countDown();
            p.shutdownNow();
        }
    }
}
