package io.livepatch4j.it.review20;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * review20 finding 1, second shape: a rejection policy that drops the task and records the rejection
 * on another executor (an audit log, a metrics sink). The audit submission clears the deferred
 * rejection of the dropped task, whose hold then leaks. Own class: a leaked hold spoils the JVM.
 */
class Review20PolicyAuditLeakIT {

    static final ExecutorService AUDIT = Executors.newSingleThreadExecutor();
    static final AtomicInteger REJECTED = new AtomicInteger();

    @Test
    @Timeout(60)
    void droppingPolicyThatAuditsAsynchronouslyLeaksTheDroppedTasksHold() throws Exception {
        Greeter g = new Greeter("r20");
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new SynchronousQueue<>(),
            (r, e) -> AUDIT.execute(REJECTED::incrementAndGet));
        CountDownLatch gate = new CountDownLatch(1);
        try {
            pool.execute(() -> {
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runnable dropped = g::second;
            Quiescence.run(() -> pool.execute(dropped)); // the worker is busy: rejected, dropped, audited
            gate.countDown();
            AUDIT.submit(() -> { }).get(10, TimeUnit.SECONDS);
            assertTrue(REJECTED.get() == 1);
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            boolean done = LivePatch.awaitTransition(Duration.ofSeconds(5));
            System.out.println("review20 audit-policy: transition " + LivePatch.status().transition());
            assertTrue(done, "the dropped task will never run, yet its unit stays open: " + LivePatch.status().transition());
            Reference.reachabilityFence(dropped);
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }
}
