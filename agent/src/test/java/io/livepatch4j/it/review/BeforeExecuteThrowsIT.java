package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Rv;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ThreadPoolExecutor subclass whose beforeExecute calls super and then throws (a "paused" pool, an
 * MDC check): the task never runs and the worker dies. The agent's BeforeExecute advice has already
 * moved the task's carried unit onto the worker's ThreadState (t.hooked), and neither afterExecute nor
 * getTask runs again on that thread, so the G0 unit keeps one hold forever: it stays in Unit.open() and
 * the transition never completes (remaining() skips dead threads, but not the unit they held).
 */
class BeforeExecuteThrowsIT {

    @Test
    @Timeout(60)
    void aWorkerThatDiesInBeforeExecuteHoldsNothing() throws Exception {
        Patch v2 = ReviewPatches.rvV2();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>()) {
            @Override
            protected void beforeExecute(Thread t, Runnable r) {
                super.beforeExecute(t, r);
                throw new IllegalStateException("paused");
            }
        };
        try {
            Quiescence.run(() -> {
                Rv.v();
                pool.execute(() -> Rv.v());
            });
            Thread.sleep(300);
            System.gc();
            LivePatch.apply(v2, Strategy.LOCAL);
            boolean done = LivePatch.awaitTransition(Duration.ofSeconds(3));
            System.gc();
            done = done || LivePatch.awaitTransition(Duration.ofSeconds(2));
            String status = StatusJson.of(LivePatch.status());
            System.out.println("[review] beforeExecute threw: transition complete=" + done + "\n" + status);
            assertTrue(done, "a dead worker's carried G0 unit holds the transition forever: " + status);
        } finally {
            pool.shutdownNow();
        }
    }
}
