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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * review20 finding 1: the deferred release of a rejected task's hold lives in one per-thread slot
 * (ThreadState.submitting/rejectedFrom). Any other submission made on the same thread before the
 * outer one returns (the task CallerRunsPolicy runs inline submits work; a policy hands an audit
 * task to another executor) overwrites and clears it, so the rejected task's hold is never released:
 * its unit stays open until the task object is collected (never, for a task kept reachable), and the
 * transition hangs. Before b971627 the rejection released at once. Own class: a leaked hold spoils
 * the JVM for later tests.
 *
 * Since the fix, each submission that captured a hold has a record of its own, on a stack.
 */
class Review20NestedSubmitLeakIT {

    static final ExecutorService OTHER = Executors.newSingleThreadExecutor();

    @Test
    @Timeout(60)
    void callerRunsTaskThatSubmitsWorkReleasesItsHold() throws Exception {
        Greeter g = new Greeter("r20");
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new SynchronousQueue<>(),
            new ThreadPoolExecutor.CallerRunsPolicy());
        CountDownLatch gate = new CountDownLatch(1);
        try {
            Pools.occupy(pool, gate);
            // An ordinary fan-out task: it hands a piece of its work to another executor.
            Runnable fanOut = () -> OTHER.execute(g::second);
            String ran = Quiescence.call(() -> {
                pool.execute(fanOut); // the worker is busy: rejected, the caller runs it inline
                return g.first();
            });
            assertEquals("v1", ran);
            gate.countDown();
            OTHER.submit(() -> { }).get(10, TimeUnit.SECONDS);
            pool.submit(() -> { }).get(10, TimeUnit.SECONDS);
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            boolean done = LivePatch.awaitTransition(Duration.ofSeconds(5));
            System.out.println("review20 nested-submit: transition " + LivePatch.status().transition());
            assertTrue(done, "every task has run and every unit ended, yet the transition waits: "
                + LivePatch.status().transition());
            Reference.reachabilityFence(fanOut); // as a field, a static Runnable, or a lambda capturing nothing would be
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }
}
