package io.livepatch4j.it.review20;

import io.livepatch4j.it.support.Pools;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * review20 finding 2, second shape: Units.submitted asks queue.contains(task), which compares with
 * equals(), not identity (the holds are by identity). A task with value equality (a record) that is
 * rejected and dropped while an equal but distinct task waits in the queue keeps its hold: its unit
 * stays open for as long as the dropped object is reachable (here: kept by the caller for a retry;
 * unreachable, until a GC happens to collect it). (contains also runs the application's
 * equals inside the agent's hook; one that throws is swallowed, and the hold leaks the same way.)
 *
 * Since the fix, DiscardPolicy says it drops the task (Submissions#policyHandles), and no queue is
 * searched.
 */
class Review20EqualTaskLeakIT {

    static final List<String> RAN = new CopyOnWriteArrayList<>();

    record Refresh(String key, Greeter g) implements Runnable {
        @Override
        public void run() {
            RAN.add(key + " " + g.second());
        }
    }

    @Test
    @Timeout(60)
    void droppedTaskEqualToAQueuedOneReleasesItsUnit() throws Exception {
        Greeter g = new Greeter("r20");
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(1),
            new ThreadPoolExecutor.DiscardPolicy());
        CountDownLatch gate = new CountDownLatch(1);
        try {
            Pools.occupy(pool, gate);
            pool.execute(new Refresh("a", g)); // queued, outside any unit: holds nothing
            Refresh retry = new Refresh("a", g); // kept by the caller (to retry it later, say)
            Quiescence.run(() -> pool.execute(retry)); // the queue is full: dropped (DiscardPolicy)
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            gate.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((RAN.isEmpty() || pool.getActiveCount() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, RAN.size());
            boolean done = LivePatch.awaitTransition(Duration.ofSeconds(5));
            System.out.println("review20 equal-task: transition " + LivePatch.status().transition());
            assertTrue(done, "the dropped task will never run, yet its unit stays open: " + LivePatch.status().transition());
            java.lang.ref.Reference.reachabilityFence(retry);
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }
}
