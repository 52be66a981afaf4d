package io.livepatch4j.it.review21;

import io.livepatch4j.it.support.Pools;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A policy that hands a rejected task to a fallback executor (a common pattern). The fallback is
 * saturated too and its AbortPolicy throws; the exception goes through the policy and out of the
 * first execute: the submission threw, the task will not run. docs/agent.md: a rejected task releases
 * its unit when "its submission threw". But the re-submission marked the record requeued on its entry,
 * before it was itself rejected, and the hold is kept; the task object here is long-lived (a static
 * Runnable), so it is kept for good.
 */
class Review21FallbackAbortLeakIT {

    static final AtomicInteger RAN = new AtomicInteger();
    static final Runnable TASK = RAN::incrementAndGet;

    @Test
    @Timeout(60)
    void taskRejectedByItsFallbackTooHoldsNothingOpen() throws Exception {
        ThreadPoolExecutor fallback = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new SynchronousQueue<>(),
            new ThreadPoolExecutor.AbortPolicy());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new SynchronousQueue<>(),
            (r, e) -> fallback.execute(r));
        CountDownLatch gate = new CountDownLatch(1);
        try {
            pool.execute(() -> Pools.await(gate));
            fallback.execute(() -> Pools.await(gate));
            Quiescence.run(() -> assertThrows(RejectedExecutionException.class, () -> pool.execute(TASK)));
            gate.countDown();
            Pools.idle(pool);
            Pools.idle(fallback);
            assertEquals(0, RAN.get());
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            boolean done = Pools.awaitWithGc(5);
            System.out.println("review21 fallback-abort: " + Pools.status());
            assertTrue(done, "the submission threw: the task will not run, nothing should hold G0: " + Pools.status());
        } finally {
            gate.countDown();
            pool.shutdownNow();
            fallback.shutdownNow();
        }
    }
}
