package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.SharedTask;
import io.livepatch4j.it.support.Pools;
import io.livepatch4j.it.support.TestPatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One Runnable object queued on two executors from units of two generations (a shared "flush" task):
 * each copy runs the generation of the unit that submitted it to the executor that runs it, whichever
 * executor runs first, and a copy that one executor gives up (remove, shutdownNow) releases that
 * executor's submission and no other. Before each run was paired with its own executor's submission, a
 * run took the object's oldest hold: the newer unit's copy ran the older code, and the older unit's
 * copy the newer (review21). The first four tests were run against that rule and failed there.
 */
@ExtendWith(BackToLoadedCode.class)
class SharedTaskIT {

    private final SharedTask task = new SharedTask("shared");
    private final List<String> ran = task.ran;
    private final Runnable flush = task.flush;

    @Test
    @Timeout(60)
    void theExecutorQueuedSecondRunsFirstAndEachCopyRunsItsOwnUnit() throws Exception {
        ExecutorService p = SharedTask.single("P");
        ExecutorService q = SharedTask.single("Q");
        CountDownLatch pGate = new CountDownLatch(1);
        CountDownLatch qGate = new CountDownLatch(1);
        try {
            Pools.occupy(p, pGate);
            Pools.occupy(q, qGate);
            String u0 = task.submitFromUnit(q); // queued on Q, from a G0 unit
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            String u1 = task.submitFromUnit(p); // queued on P, from a G1 unit
            pGate.countDown();             // P runs its copy first
            Pools.idle(p);
            qGate.countDown();
            Pools.idle(q);
            assertEquals("v1,v2", u0 + "," + u1);
            assertEquals(Set.of("Q=v1", "P=v2"), new TreeSet<>(ran), "each copy runs the generation of the unit that queued it there");
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "no hold left behind: " + Pools.status());
        } finally {
            pGate.countDown();
            qGate.countDown();
            p.shutdownNow();
            q.shutdownNow();
        }
    }

    @Test
    @Timeout(60)
    void aCopyRemovedFromOneExecutorReleasesThatSubmissionAndNotTheOther() throws Exception {
        ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
            r -> new Thread(r, "P"));
        ThreadPoolExecutor q = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
            r -> new Thread(r, "Q"));
        CountDownLatch gate = new CountDownLatch(1);
        try {
            Pools.occupy(p, gate);
            Pools.occupy(q, gate);
            String u0 = task.submitFromUnit(p); // queued on P, from a G0 unit
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            String u1 = task.submitFromUnit(q); // queued on Q, from a G1 unit
            assertTrue(q.remove(flush), "Q gives its copy up");
            gate.countDown();
            Pools.idle(p);
            Pools.idle(q);
            assertEquals("v1,v2", u0 + "," + u1);
            assertEquals(List.of("P=v1"), ran, "P's copy runs its G0 unit; Q's never runs");
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "no hold left behind: " + Pools.status());
        } finally {
            gate.countDown();
            p.shutdownNow();
            q.shutdownNow();
        }
    }

    @Test
    @Timeout(60)
    void aCopyDrainedByShutdownNowReleasesThatSubmissionAndNotTheOther() throws Exception {
        ExecutorService p = SharedTask.single("P");
        ExecutorService q = SharedTask.single("Q");
        CountDownLatch pGate = new CountDownLatch(1);
        CountDownLatch qGate = new CountDownLatch(1);
        try {
            Pools.occupy(p, pGate);
            Pools.occupy(q, qGate);
            String u0 = task.submitFromUnit(p); // queued on P, from a G0 unit
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            String u1 = task.submitFromUnit(q); // queued on Q, from a G1 unit
            List<Runnable> drained = q.shutdownNow();
            assertEquals(1, drained.size(), "Q drains its copy");
            pGate.countDown();
            Pools.idle(p);
            assertEquals("v1,v2", u0 + "," + u1);
            assertEquals(List.of("P=v1"), ran, "P's copy runs its G0 unit");
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "no hold left behind: " + Pools.status());
        } finally {
            pGate.countDown();
            qGate.countDown();
            p.shutdownNow();
            q.shutdownNow();
        }
    }

    /**
     * P's queue holds a copy from a G0 unit and is full; a G1 unit's submission to P is rejected, and
     * P's policy (the application's) hands the task to Q, which runs it at once: that hold moves with
     * the task to Q, so Q's run takes it and P's later run takes the G0 one.
     */
    @Test
    @Timeout(60)
    void aCopyARejectionPolicyHandsToAnotherExecutorRunsItsOwnUnitThere() throws Exception {
        ExecutorService q = SharedTask.single("Q");
        ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1),
            r -> new Thread(r, "P"), (task, pool) -> q.execute(task));
        CountDownLatch gate = new CountDownLatch(1);
        try {
            Pools.occupy(p, gate);
            String u0 = task.submitFromUnit(p); // fills P's queue, from a G0 unit
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            String u1 = task.submitFromUnit(p); // rejected by P, handed to Q, from a G1 unit
            Pools.idle(q);
            gate.countDown();
            // Not Pools.idle(p): while P's queue is full, its probe task is handed to Q too.
            for (int i = 0; i < 200 && ran.size() < 2; i++) {
                Thread.sleep(50);
            }
            assertEquals("v1,v2", u0 + "," + u1);
            assertEquals(Set.of("P=v1", "Q=v2"), new TreeSet<>(ran), "each copy runs the generation of the unit that submitted it");
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "no hold left behind: " + Pools.status());
        } finally {
            gate.countDown();
            p.shutdownNow();
            q.shutdownNow();
        }
    }
    /**
     * The same object submitted to Q from no unit runs there in a unit of its own: it does not take the
     * hold of the copy a G0 unit queued on P, which would then run the newest code.
     */
    @Test
    @Timeout(60)
    void aCopySubmittedFromNoUnitTakesNoOtherExecutorsHold() throws Exception {
        ExecutorService p = SharedTask.single("P");
        ExecutorService q = SharedTask.single("Q");
        CountDownLatch gate = new CountDownLatch(1);
        try {
            Pools.occupy(p, gate);
            String u0 = task.submitFromUnit(p); // queued on P, from a G0 unit
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            q.execute(flush);              // from no unit: Q runs it at once, in a unit of its own
            Pools.idle(q);
            gate.countDown();
            Pools.idle(p);
            assertEquals("v1", u0);
            assertEquals(Set.of("P=v1", "Q=v2"), new TreeSet<>(ran), "P's copy runs its G0 unit, Q's its own unit of G1");
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "no hold left behind: " + Pools.status());
        } finally {
            gate.countDown();
            p.shutdownNow();
            q.shutdownNow();
        }
    }

    /**
     * A ThreadPoolExecutor subclass whose execute hands each task to a pool of its own: the hold goes
     * with the task to the pool that queues and runs it.
     */
    @Test
    @Timeout(60)
    void anExecutorThatHandsItsTasksToAnInnerPoolRegistersTheHoldForThatPool() throws Exception {
        ThreadPoolExecutor inner = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
            r -> new Thread(r, "P"));
        ThreadPoolExecutor outer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>()) {
            @Override
            public void execute(Runnable command) {
                inner.execute(command);
            }
        };
        ExecutorService q = SharedTask.single("Q");
        CountDownLatch gate = new CountDownLatch(1);
        try {
            Pools.occupy(inner, gate);
            String u0 = task.submitFromUnit(outer); // queued on the inner pool, from a G0 unit
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            String u1 = task.submitFromUnit(q);     // Q runs it at once, from a G1 unit
            Pools.idle(q);
            gate.countDown();
            Pools.idle(inner);
            assertEquals("v1,v2", u0 + "," + u1);
            assertEquals(Set.of("P=v1", "Q=v2"), new TreeSet<>(ran), "each copy runs the generation of the unit that submitted it");
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "no hold left behind: " + Pools.status());
        } finally {
            gate.countDown();
            inner.shutdownNow();
            outer.shutdownNow();
            q.shutdownNow();
        }
    }
}
