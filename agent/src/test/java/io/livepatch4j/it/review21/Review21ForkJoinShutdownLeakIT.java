package io.livepatch4j.it.review21;

import io.livepatch4j.it.support.Pools;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ForkJoinPool that is shut down rejects a submission by throwing RejectedExecutionException: the
 * task will not run. Only ThreadPoolExecutor.reject marks a record rejected, so the hold the
 * submission captured is kept; the task (a long-lived RecursiveAction) is never collected.
 */
class Review21ForkJoinShutdownLeakIT {

    static final RecursiveAction TASK = new RecursiveAction() {
        @Override
        protected void compute() {
        }
    };

    @Test
    @Timeout(60)
    void taskAShutDownForkJoinPoolRejectsHoldsNothingOpen() throws Exception {
        ForkJoinPool fj = new ForkJoinPool(1);
        fj.shutdown();
        Quiescence.run(() -> assertThrows(RejectedExecutionException.class, () -> fj.execute(TASK)));
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        boolean done = Pools.awaitWithGc(5);
        System.out.println("review21 forkjoin-shutdown: " + Pools.status());
        assertTrue(done, "the submission threw: nothing should hold G0: " + Pools.status());
    }
}
