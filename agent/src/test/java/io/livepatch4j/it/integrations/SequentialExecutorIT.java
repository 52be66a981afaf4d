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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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
