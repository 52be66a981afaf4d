package io.livepatch4j.it.review24;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.SharedTask;
import io.livepatch4j.it.support.Pools;
import io.livepatch4j.it.support.TestPatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task a unit submitted to ThreadPoolExecutor P, run by the worker of another ThreadPoolExecutor
 * Q without any submission to Q (the two share one queue; P's rejection policy puts the task into
 * Q's queue). Q's run may take no other ThreadPoolExecutor's hold, so the task runs in a unit of its
 * own (the newest code, not its unit's) and P's hold is never taken: the unit stays open for good.
 * Before bfb4e3f the run took the task's oldest hold.
 */
@ExtendWith(BackToLoadedCode.class)
class Review24ForeignRunIT {

    private final SharedTask task = new SharedTask("foreign");
    private final List<String> ran = task.ran;
    private final Runnable flush = task.flush;

    /**
     * Cleanup only: a hold left on P (the defect these tests show) is taken by a run on P of the same
     * object (Q shut down first, so that P's worker runs it), so the next test has no transition pending.
     */
    private void releaseLeftHold(ThreadPoolExecutor p, ThreadPoolExecutor q) {
        try {
            q.shutdownNow();
            q.awaitTermination(5, TimeUnit.SECONDS);
            if (!LivePatch.awaitTransition(java.time.Duration.ofMillis(10))) {
                p.execute(flush);
                Pools.idle(p);
            }
        } catch (Exception e) {
            // cleanup only
        }
    }

    /** Two pools over one queue (legal: the constructor takes any BlockingQueue). */
    @Test
    @Timeout(90)
    void aTaskQueuedOnPButRunByQsWorkerOverASharedQueueRunsItsUnit() throws Exception {
        BlockingQueue<Runnable> shared = new LinkedBlockingQueue<>();
        ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, shared, r -> new Thread(r, "P"));
        ThreadPoolExecutor q = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, shared, r -> new Thread(r, "Q"));
        CountDownLatch pGate = new CountDownLatch(1);
        CountDownLatch qGate = new CountDownLatch(1);
        try {
            Pools.occupy(p, pGate); // P's first task: its worker
            Pools.occupy(q, qGate); // Q's first task: its worker
            String u0 = task.submitFromUnit(p); // into the shared queue, from a G0 unit
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            qGate.countDown();             // Q's worker takes the copy from the shared queue
            task.awaitRuns(1);
            pGate.countDown();             // P's own G0 task ends: only the carried copy may hold the transition
            boolean done = Pools.awaitWithGc(10);
            assertEquals("v1", u0);
            assertEquals("[Q=v1] transition complete: true", ran + " transition complete: " + done,
                "the copy a G0 unit submitted runs G0 code, and its hold is released: " + (done ? "" : Pools.status()));
        } finally {
            pGate.countDown();
            qGate.countDown();
            releaseLeftHold(p, q);
            p.shutdownNow();
            q.shutdownNow();
        }
    }

    /** P's rejection policy (the application's) overflows into Q's queue, a common "spill over" policy. */
    @Test
    @Timeout(90)
    void aTaskAPolicySpillsIntoAnotherPoolsQueueRunsItsUnit() throws Exception {
        ThreadPoolExecutor q = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> new Thread(r, "Q"));
        ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1), r -> new Thread(r, "P"),
            (task, pool) -> {
                if (!q.getQueue().offer(task)) {
                    throw new java.util.concurrent.RejectedExecutionException("both full");
                }
            });
        CountDownLatch pGate = new CountDownLatch(1);
        CountDownLatch qGate = new CountDownLatch(1);
        try {
            Pools.occupy(p, pGate);
            Pools.occupy(q, qGate);
            p.execute(() -> { });          // fills P's queue, from no unit
            String u0 = task.submitFromUnit(p); // rejected by P, spilled into Q's queue, from a G0 unit
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            qGate.countDown();             // Q's worker runs it
            task.awaitRuns(1);
            pGate.countDown();             // P's own G0 task ends: only the carried copy may hold the transition
            boolean done = Pools.awaitWithGc(10);
            assertEquals("v1", u0);
            assertEquals("[Q=v1] transition complete: true", ran + " transition complete: " + done,
                "the copy a G0 unit submitted runs G0 code, and its hold is released: " + (done ? "" : Pools.status()));
        } finally {
            pGate.countDown();
            qGate.countDown();
            releaseLeftHold(p, q);
            p.shutdownNow();
            q.shutdownNow();
        }
    }
}
