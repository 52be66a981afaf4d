package io.livepatch4j.it.review21;

import io.livepatch4j.it.support.Pools;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A long-lived task object (a service's "drainer" that re-submits itself while there is more to do) on
 * a pool with the JDK's CallerRunsPolicy. Saturated: the submission is rejected, CallerRunsPolicy runs
 * it inline, the inline run re-submits the task, which is rejected again and run inline again. The
 * re-submission (inside the first one's record) marks the record "requeued", so the hold is kept,
 * though the task never went to a queue: nothing will ever take it, and the task object stays reachable.
 */
class Review21CallerRunsResubmitLeakIT {

    static final AtomicInteger RUNS = new AtomicInteger();
    static volatile ThreadPoolExecutor pool;
    /** A service's drainer: re-submits itself once while there is "more work". */
    static final Runnable DRAINER = new Runnable() {
        @Override
        public void run() {
            if (RUNS.incrementAndGet() < 2) {
                pool.execute(this);
            }
        }
    };

    @Test
    @Timeout(60)
    void taskRunInlineTwiceByCallerRunsHoldsNothingOpen() throws Exception {
        pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new SynchronousQueue<>(),
            new ThreadPoolExecutor.CallerRunsPolicy());
        CountDownLatch gate = new CountDownLatch(1);
        try {
            pool.execute(() -> Pools.await(gate)); // the only worker is busy
            Quiescence.run(() -> pool.execute(DRAINER)); // rejected, run inline, re-submitted, rejected, run inline
            assertEquals(2, RUNS.get(), "both runs happened inline on the caller");
            gate.countDown();
            pool.submit(() -> { }).get(10, TimeUnit.SECONDS);
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            boolean done = Pools.awaitWithGc(5);
            System.out.println("review21 callerruns-resubmit: " + Pools.status());
            assertTrue(done, "nothing of the G0 unit is left to run: " + Pools.status());
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }
}
