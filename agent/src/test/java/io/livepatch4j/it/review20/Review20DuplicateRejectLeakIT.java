package io.livepatch4j.it.review20;

import io.livepatch4j.it.support.Pools;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * review20 finding 2: Units.submitted decides "queued anyway" with queue.contains(task). When the same
 * Runnable object already waits in the queue from an earlier submission (a shared flush/refresh
 * Runnable, a static task), a submission of it that is rejected and thrown away (AbortPolicy,
 * DiscardPolicy) finds the earlier copy and keeps its hold. The object runs once, takes one hold; the
 * other leaks while the object is reachable (a static Runnable: for good). Own class.
 *
 * Since the fix, the rejected submission releases the hold it added itself (Carriers#remove), and no
 * queue is searched.
 */
class Review20DuplicateRejectLeakIT {

    @Test
    @Timeout(60)
    void rejectedSecondSubmissionOfAQueuedRunnableReleasesItsOwnHold() throws Exception {
        Greeter g = new Greeter("r20");
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(1),
            new ThreadPoolExecutor.AbortPolicy());
        CountDownLatch gate = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        try {
            Pools.occupy(pool, gate);
            Runnable flush = () -> ran.add(g.second());
            Quiescence.run(() -> pool.execute(flush)); // queued (the queue holds one)
            boolean[] rejected = new boolean[1];
            Quiescence.run(() -> {
                try {
                    pool.execute(flush); // the queue is full: rejected, thrown away
                } catch (RejectedExecutionException e) {
                    rejected[0] = true;
                }
            });
            assertTrue(rejected[0]);
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            gate.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((ran.isEmpty() || pool.getActiveCount() > 0 || !pool.getQueue().isEmpty()) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(List.of("v1"), ran, "the queued copy ran once, in its unit's generation");
            boolean done = LivePatch.awaitTransition(Duration.ofSeconds(5));
            System.out.println("review20 duplicate-reject: transition " + LivePatch.status().transition());
            assertTrue(done, "the rejected submission will never run, yet its unit stays open: "
                + LivePatch.status().transition());
            Reference.reachabilityFence(flush);
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }
}
