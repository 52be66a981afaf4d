package io.livepatch4j.it.review22;

import io.livepatch4j.it.support.Pools;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A rejection policy that tries a fallback executor and, when that one rejects too (its AbortPolicy
 * throws, the policy catches), a second fallback, which queues the task. The first re-submission's
 * record ends with RejectedExecutionException and releases the hold (Submissions.willNotRun); the
 * second re-submission is handed over a hold that no longer exists. The task is queued and runs, but
 * carries nothing: a patch applied meanwhile does not wait for it, and it runs the new generation
 * though the unit that submitted it ran G0.
 */
@ExtendWith(BackToLoadedCode.class)
class Review22ResubmitRetryIT {

    @Test
    @Timeout(90)
    void taskRejectedByTheFirstFallbackAndQueuedByTheSecondRunsItsSubmittersGeneration() throws Exception {
        Greeter g = new Greeter("r22");
        CountDownLatch gate = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        ThreadPoolExecutor fallback1 = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new SynchronousQueue<>(),
            new ThreadPoolExecutor.AbortPolicy());
        ThreadPoolExecutor fallback2 = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new SynchronousQueue<>(),
            (r, e) -> {
                try {
                    fallback1.execute(r);
                } catch (RejectedExecutionException x) {
                    fallback2.execute(r);
                }
            });
        try {
            pool.execute(() -> Pools.await(gate));
            fallback1.execute(() -> Pools.await(gate));
            fallback2.execute(() -> Pools.await(gate));
            String mine = Quiescence.call(() -> {
                String v = g.first();
                pool.execute(() -> ran.add(g.second())); // rejected, rejected, queued on fallback2
                return v;
            });
            assertEquals("v1", mine);
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            boolean doneEarly = LivePatch.awaitTransition(Duration.ofSeconds(2));
            System.out.println("review22 resubmit-retry: transition completed before the carried task ran: " + doneEarly
                + " " + Pools.status());
            gate.countDown();
            Pools.idle(fallback2);
            System.out.println("review22 resubmit-retry: task ran " + ran);
            assertEquals(List.of("v1"), ran, "the task runs the generation of the unit that submitted it");
        } finally {
            gate.countDown();
            pool.shutdownNow();
            fallback1.shutdownNow();
            fallback2.shutdownNow();
        }
    }
}
