package io.livepatch4j.it.review23;

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
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The ForkJoinPool twin of Review22FactoryRejectsAfterQueueIT. docs/agent.md: "a ForkJoinPool or a
 * virtual thread's scheduler that throws it took nothing, and the unit is released". But ForkJoinPool
 * pushes the task onto a queue first and only then signals work; createWorker catches the thread
 * factory's exception and deregisterWorker rethrows it. A factory that refuses with
 * RejectedExecutionException (a thread budget) makes execute throw it with the task queued. The hold
 * is released (refusalIsFinal), and the queued task runs later, when a worker exists, in the new
 * generation; the transition does not wait for it. Observed on JDK 25; on JDK 17 the pool is left
 * without a worker for good and the task never runs (the test is then skipped).
 */
@ExtendWith(BackToLoadedCode.class)
class Review23ForkJoinFactoryRejectsAfterQueueIT {

    @Test
    @Timeout(90)
    void taskQueuedBeforeTheForkJoinFactoryRefusedRunsItsSubmittersGeneration() throws Exception {
        Greeter g = new Greeter("r23");
        AtomicBoolean refuse = new AtomicBoolean(true);
        ForkJoinPool.ForkJoinWorkerThreadFactory budget = p -> {
            if (refuse.get()) {
                throw new RejectedExecutionException("thread budget exhausted");
            }
            return ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
        };
        List<String> ran = new CopyOnWriteArrayList<>();
        ForkJoinPool pool = new ForkJoinPool(1, budget, null, false);
        try {
            String mine = Quiescence.call(() -> {
                String v = g.first();
                assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> ran.add(g.second())));
                return v;
            });
            assertEquals("v1", mine);
            System.out.println("review23 fj-factory: queued tasks after the refusal " + pool.getQueuedSubmissionCount());
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            boolean doneEarly = LivePatch.awaitTransition(Duration.ofSeconds(2));
            System.out.println("review23 fj-factory: transition completed before the queued task ran: " + doneEarly);
            refuse.set(false);
            for (int i = 0; i < 200 && ran.isEmpty(); i++) {
                if (i % 20 == 0) {
                    pool.execute(() -> { }); // adds a worker: it runs the queued task too
                }
                Thread.sleep(50);
            }
            System.out.println("review23 fj-factory: pool " + pool);
            System.out.println("review23 fj-factory (JDK " + Runtime.version().feature() + "): task ran " + ran);
            // JDK 17's pool is wedged after the failed createWorker (size 1, active 1, no worker): the
            // queued task never runs there, and releasing its hold is harmless. JDK 25 runs it.
            org.junit.jupiter.api.Assumptions.assumeFalse(ran.isEmpty(), "the JDK's pool never ran the queued task");
            assertEquals(List.of("v1"), ran, "the task runs the generation of the unit that submitted it");
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
