package io.livepatch4j.it.review22;

import io.livepatch4j.it.support.Pools;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * As Review22ResubmitWrappedLeakIT, with ExecutorService.submit as the fallback. A rejection policy hands the rejected task to another executor that wraps it (ForkJoinPool.execute
 * wraps a Runnable in a ForkJoinTask, ExecutorService.submit in a FutureTask): the re-submission is
 * of another object, so it captures a hold of its own, and the rejected Runnable's record is neither
 * requeued nor policy-handled: its hold is kept. The wrapper runs the Runnable with run(), so no run
 * ever takes that hold: it is released only when the Runnable is collected, never for a long-lived one
 * (a static Runnable here, as "flush"/"refresh" tasks often are). docs/agent.md: a policy that hands
 * the task to another executor submits it again, and the task keeps its unit until it runs.
 */
@ExtendWith(BackToLoadedCode.class)
class Review22ResubmitSubmitLeakIT {

    static final AtomicInteger RAN = new AtomicInteger();
    static final Runnable TASK_SUBMIT = RAN::incrementAndGet;

    @Disabled("documented trade-off (review22, 2026-11-30): a rejection policy of the application's own that hands the task "
        + "on wrapped (submit, a ForkJoinPool, a virtual thread) or retries it later cannot be told from outside from one "
        + "that queues it: the task keeps its unit until it is collected (never, for this static Runnable); see "
        + "docs/agent.md, 'Work that carries a unit'")
    @Test
    @Timeout(90)
    void taskHandedToAnotherExecutorsSubmitHoldsNothingOnceItRan() throws Exception {
        ThreadPoolExecutor fallback = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new java.util.concurrent.LinkedBlockingQueue<>());
        try {
            run(TASK_SUBMIT, (r, e) -> fallback.submit(r));
        } finally {
            fallback.shutdownNow();
        }
    }

    private static void run(Runnable task, RejectedExecutionHandler policy) throws Exception {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new SynchronousQueue<>(), policy);
        CountDownLatch gate = new CountDownLatch(1);
        int before = RAN.get();
        try {
            pool.execute(() -> Pools.await(gate));
            Quiescence.run(() -> pool.execute(task)); // rejected, handed on
            for (int i = 0; i < 200 && RAN.get() == before; i++) {
                Thread.sleep(50);
            }
            assertEquals(before + 1, RAN.get(), "the task ran on the other executor");
            gate.countDown();
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            boolean done = Pools.awaitWithGc(5);
            System.out.println("review22 resubmit-wrapped: " + Pools.status());
            assertTrue(done, "the task ran: nothing should hold G0: " + Pools.status());
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }
}
