package io.livepatch4j.it.review21;

import io.livepatch4j.it.support.Pools;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDK's DiscardOldestPolicy races with shutdown(): it checked isShutdown, polled the oldest task,
 * and its e.execute(r) finds the pool shut down: rejected again, and DiscardOldestPolicy (shut down)
 * drops it. The task never runs, only the JDK's own policy handled it; yet the re-submission marked
 * the record requeued on entry, so the hold is kept (for good: the task object is long-lived).
 * The shutdown by another thread in that window is simulated deterministically by the queue's poll(),
 * which only DiscardOldestPolicy calls.
 */
class Review21DiscardOldestShutdownLeakIT {

    static final AtomicInteger RAN = new AtomicInteger();
    static final Runnable TASK = RAN::incrementAndGet;
    static volatile ThreadPoolExecutor pool;

    @Test
    @Timeout(60)
    void taskDroppedByDiscardOldestAfterAShutdownHoldsNothingOpen() throws Exception {
        ArrayBlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(1) {
            @Override
            public Runnable poll() {
                Runnable r = super.poll();
                pool.shutdown(); // another thread's shutdown, in the policy's window
                return r;
            }
        };
        pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, queue, new ThreadPoolExecutor.DiscardOldestPolicy());
        CountDownLatch gate = new CountDownLatch(1);
        try {
            pool.execute(() -> Pools.await(gate));
            pool.execute(() -> { }); // fills the queue
            Quiescence.run(() -> pool.execute(TASK)); // rejected; the oldest polled; execute again: shut down, dropped
            gate.countDown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            assertEquals(0, RAN.get(), "the task never ran");
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            boolean done = Pools.awaitWithGc(5);
            System.out.println("review21 discardoldest-shutdown: " + Pools.status());
            assertTrue(done, "the task will never run: nothing should hold G0: " + Pools.status());
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }
}
