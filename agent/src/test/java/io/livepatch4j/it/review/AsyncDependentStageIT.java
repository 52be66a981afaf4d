package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Rv;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DESIGN.md: a request is one unit wherever it runs; the pinned generation travels with
 * "CompletableFuture stages". docs/agent.md exempts only dependent stages "that run inline on the thread
 * completing the stage before them". A *Async dependent stage never runs inline: it is submitted as a
 * task (the Completion object itself), yet ExecutorHooks.forkJoinTaskCreated skips every Completion.
 */
@ExtendWith(BackToLoadedCode.class)
class AsyncDependentStageIT {

    private static String chain(Executor executor) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CompletableFuture<String> f = Quiescence.call(() -> {
            CompletableFuture<String> first = executor == null
                ? CompletableFuture.supplyAsync(() -> await(gate) + Rv.v())
                : CompletableFuture.supplyAsync(() -> await(gate) + Rv.v(), executor);
            return executor == null
                ? first.thenApplyAsync(x -> x + "+" + Rv.v())
                : first.thenApplyAsync(x -> x + "+" + Rv.v(), executor);
        });
        LivePatch.apply(ReviewPatches.rvV2(), Strategy.LOCAL);
        gate.countDown();
        return f.get(10, TimeUnit.SECONDS);
    }

    private static String await(CountDownLatch gate) {
        try {
            gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }

    @Test
    @Timeout(60)
    void thenApplyAsyncOnTheDefaultExecutorRunsTheUnitsGeneration() throws Exception {
        String r = chain(null);
        System.out.println("[review] default executor (common pool parallelism "
            + ForkJoinPool.getCommonPoolParallelism() + "): " + r);
        assertEquals("v1+v1", r, "both stages of the G0 unit's chain must run G0");
    }

    @Test
    @Timeout(60)
    void thenApplyAsyncOnAForkJoinPoolRunsTheUnitsGeneration() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            String r = chain(pool);
            System.out.println("[review] ForkJoinPool(2): " + r);
            assertEquals("v1+v1", r, "both stages of the G0 unit's chain must run G0");
        } finally {
            pool.shutdownNow();
        }
    }
}
