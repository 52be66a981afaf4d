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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * review20 finding 1, second shape: a rejection policy of the application's own that drops the task and
 * records the rejection on another executor (an audit log, a metrics sink). The audit submission must
 * not clear the dropped task's record. Such a policy is not known to drop the task (it could as well
 * have queued it, or blocked until a worker took it), so the task keeps its unit, as documented, until
 * it is collected: status names it, and the transition completes once it is gone. Own class: a held
 * unit spoils the JVM for the next test.
 */
class Review20PolicyAuditLeakIT {

    static final ExecutorService AUDIT = Executors.newSingleThreadExecutor();
    static final AtomicInteger REJECTED = new AtomicInteger();

    @Test
    @Timeout(60)
    void taskDroppedByAPolicyOfItsOwnKeepsItsUnitUntilCollected() throws Exception {
        Greeter g = new Greeter("r20");
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new SynchronousQueue<>(),
            (r, e) -> AUDIT.execute(REJECTED::incrementAndGet));
        CountDownLatch gate = new CountDownLatch(1);
        try {
            Pools.occupy(pool, gate);
            Runnable[] dropped = {g::second};
            Quiescence.run(() -> pool.execute(dropped[0])); // the worker is busy: rejected, dropped, audited
            gate.countDown();
            AUDIT.submit(() -> { }).get(10, TimeUnit.SECONDS);
            assertEquals(1, REJECTED.get());
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            assertFalse(LivePatch.awaitTransition(Duration.ofSeconds(1)), "the task may yet run: its unit stays open");
            assertTrue(LivePatch.status().transition().remaining().stream()
                    .anyMatch(r -> r.name().contains("not finished: " + Review20PolicyAuditLeakIT.class.getName() + "$$Lambda")),
                "status names the task that holds the unit: " + LivePatch.status().transition());
            dropped[0] = null;
            boolean done = false;
            for (int i = 0; i < 20 && !done; i++) {
                System.gc();
                done = LivePatch.awaitTransition(Duration.ofMillis(500));
            }
            System.out.println("review20 audit-policy: transition " + LivePatch.status().transition());
            assertTrue(done, "once the dropped task is collected its unit ends: " + LivePatch.status().transition());
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }
}
