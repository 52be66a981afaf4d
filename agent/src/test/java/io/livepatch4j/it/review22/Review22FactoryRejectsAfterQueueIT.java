package io.livepatch4j.it.review22;

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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * ThreadPoolExecutor.execute with no worker (core size 0): the task is offered to the queue first, and
 * only then is a worker added (addWorker(null, false)). A thread factory that refuses with
 * RejectedExecutionException (a thread budget) makes execute throw it with the task already queued.
 * Submissions releases the hold on any RejectedExecutionException; the queued task runs later, when a
 * worker is added, without a hold: the transition does not wait for it and it runs the new generation.
 */
@ExtendWith(BackToLoadedCode.class)
class Review22FactoryRejectsAfterQueueIT {

    @Test
    @Timeout(90)
    void taskQueuedBeforeTheFactoryRefusedRunsItsSubmittersGeneration() throws Exception {
        Greeter g = new Greeter("r22");
        AtomicBoolean refuse = new AtomicBoolean(true);
        ThreadFactory budget = r -> {
            if (refuse.get()) {
                throw new RejectedExecutionException("thread budget exhausted");
            }
            return new Thread(r);
        };
        List<String> ran = new CopyOnWriteArrayList<>();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), budget);
        try {
            String mine = Quiescence.call(() -> {
                String v = g.first();
                assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> ran.add(g.second())));
                return v;
            });
            assertEquals("v1", mine);
            assertEquals(1, pool.getQueue().size(), "the task is queued all the same");
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            boolean doneEarly = LivePatch.awaitTransition(Duration.ofSeconds(2));
            System.out.println("review22 factory-rejects: transition completed before the queued task ran: " + doneEarly);
            refuse.set(false);
            pool.execute(() -> { }); // adds a worker: it runs the queued task first
            for (int i = 0; i < 200 && ran.isEmpty(); i++) {
                Thread.sleep(50);
            }
            System.out.println("review22 factory-rejects: task ran " + ran);
            assertEquals(List.of("v1"), ran, "the task runs the generation of the unit that submitted it");
        } finally {
            pool.shutdownNow();
        }
    }
}
