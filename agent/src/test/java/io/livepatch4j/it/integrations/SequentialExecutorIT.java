package io.livepatch4j.it.integrations;

import com.google.common.util.concurrent.MoreExecutors;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.Held;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guava's SequentialExecutor, a serial queue over a thread pool: one worker task runs the tasks of
 * every submitter in turn. Each task must run in the unit it was submitted from, not in the one that
 * happened to start the worker.
 */
@ExtendWith(BackToLoadedCode.class)
class SequentialExecutorIT {

    private final Greeter greeter = new Greeter("sequential");
    private final ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "pool"));
    private final Executor sequential = MoreExecutors.newSequentialExecutor(pool);
    private final Held busy = new Held();

    @AfterEach
    void stop() {
        busy.release();
        pool.shutdownNow();
    }

    /** A unit of work that calls first() and queues the call of second() on the sequential executor. */
    private CompletableFuture<String> unitQueuingItsSecondHalf() {
        CompletableFuture<String> result = new CompletableFuture<>();
        Quiescence.run(() -> {
            String a = greeter.first();
            sequential.execute(() -> result.complete(a + "+" + greeter.second()));
        });
        return result;
    }

    /**
     * The pool's thread is busy, so the worker that the first unit's task hands over (wrapped, the
     * queue being idle) starts after the apply; the second unit's task is queued behind it as it is.
     */
    @Test
    @Timeout(60)
    void eachQueuedTaskRunsInTheUnitItWasSubmittedFrom() throws Exception {
        pool.execute(busy::hold);
        busy.awaitArrival();
        CompletableFuture<String> before = unitQueuingItsSecondHalf();
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        CompletableFuture<String> after = unitQueuingItsSecondHalf();
        busy.release();
        assertEquals("v1+v1", before.get(10, TimeUnit.SECONDS), "the unit from before the apply ran v1 throughout");
        assertEquals("v2+v2", after.get(10, TimeUnit.SECONDS),
            "the unit from after the apply ran v2 throughout, though its task ran on the worker the first one started");
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)), "the transition completes: " + LivePatch.status().transition());
    }

    /**
     * The worker was inside an application call (Greeter.pair, queued behind Guava's code) when the
     * transition began, so the transition waited for it to leave that call; but it went from task to
     * task, always inside one's unit, where the tooling does not look, and held the transition until
     * the queue ran dry. Each task it takes with no application call around it shows that it left.
     */
    @Test
    @Timeout(60)
    void aWorkerGoingFromTaskToTaskDoesNotHoldTheTransition() throws Exception {
        AtomicBoolean feeding = new AtomicBoolean(true);
        AtomicInteger queued = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        Runnable before = Greeter.betweenCalls;
        // Long tasks, so that the tooling hardly ever finds the worker between two of them.
        Greeter.betweenCalls = () -> LockSupport.parkNanos(100_000_000);
        Thread feeder = new Thread(() -> {
            while (feeding.get()) {
                if (queued.get() >= 2) {
                    LockSupport.parkNanos(1_000_000);
                    continue;
                }
                queued.incrementAndGet();
                Quiescence.run(() -> sequential.execute(() -> {
                    greeter.pair();
                    queued.decrementAndGet();
                    ran.incrementAndGet();
                }));
            }
        }, "feeder");
        feeder.start();
        try {
            while (ran.get() < 2) {
                Thread.sleep(10);
            }
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(3)),
                "the transition completes while the worker goes on from task to task: " + LivePatch.status().transition());
            assertTrue(queued.get() > 0, "the queue had not run dry when the transition completed");
        } finally {
            feeding.set(false);
            feeder.join(10_000);
            Greeter.betweenCalls = before;
        }
    }

    /**
     * Review 33: a queue whose executor refuses the runner takes the task back and throws. The task will
     * never run, so the unit it was queued from must not wait for it: its hold stayed until the task
     * was collected, and every transition waited for a garbage collection.
     */
    @Test
    @Timeout(60)
    void aTaskTheQueueRefusesHoldsNothing() throws Exception {
        ThreadPoolExecutor full = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
        Held held = new Held();
        try {
            full.execute(held::hold);
            held.awaitArrival();
            full.execute(() -> { });
            Executor refusing = MoreExecutors.newSequentialExecutor(full);
            // Kept reachable to the end: a hold on a task that is collected is released then, which
            // would hide a hold that nothing else releases.
            Runnable task = () -> { };
            RejectedExecutionException[] refused = {null};
            Quiescence.run(() -> {
                try {
                    refusing.execute(task);
                } catch (RejectedExecutionException e) {
                    refused[0] = e;
                }
            });
            assertTrue(refused[0] != null, "the queue refused the task");
            held.release(); // the pool's own tasks (units too) end
            full.shutdown();
            assertTrue(full.awaitTermination(10, TimeUnit.SECONDS));
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(2)),
                "the unit that queued the refused task has ended: " + LivePatch.status().transition());
            java.lang.ref.Reference.reachabilityFence(task);
        } finally {
            held.release();
            full.shutdownNow();
        }
    }

    @Test
    @Timeout(60)
    void aTaskQueuedFromNoUnitIsAUnitOfItsOwn() throws Exception {
        CompletableFuture<String> kind = new CompletableFuture<>();
        sequential.execute(() -> kind.complete(PatchFlips.myUnit()));
        assertEquals("task of a serial queue", kind.get(10, TimeUnit.SECONDS));
        CompletableFuture<String> carried = new CompletableFuture<>();
        Quiescence.run(() -> sequential.execute(() -> carried.complete(PatchFlips.myUnit())));
        assertEquals("Quiescence API (carried into a task of a serial queue)", carried.get(10, TimeUnit.SECONDS));
    }
}
