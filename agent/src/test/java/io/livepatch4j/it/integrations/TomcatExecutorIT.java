package io.livepatch4j.it.integrations;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.apache.tomcat.util.threads.TaskQueue;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tomcat's own ThreadPoolExecutor: when it cannot add a worker it rejects the task, catches its own
 * rejection and forces the task into its queue (what a saturated connector pool does). The task then
 * still runs in the unit that submitted it, and holds that unit open until it has run.
 */
@ExtendWith(BackToLoadedCode.class)
class TomcatExecutorIT {

    @Test
    @Timeout(60)
    void taskRejectedThenForcedIntoTheQueueRunsItsSubmittersGeneration() throws Exception {
        Greeter g = new Greeter("tomcat-forced");
        AtomicInteger threads = new AtomicInteger();
        // One worker only (Tomcat starts the core thread at once): every later worker the pool tries
        // to add fails, so the task is rejected and forced into the queue, deterministically.
        ThreadFactory oneThread = r -> threads.getAndIncrement() == 0 ? new Thread(r, "tomcat-forced-worker") : null;
        TaskQueue queue = new TaskQueue();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 2, 1, TimeUnit.MINUTES, queue, oneThread);
        queue.setParent(pool);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        try {
            pool.execute(() -> {
                busy.countDown();
                try {
                    gate.await(50, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(busy.await(10, TimeUnit.SECONDS), "the one worker took the first task off the queue");
            Quiescence.run(() -> pool.execute(() -> ran.add(g.second())));
            assertTrue(threads.get() >= 2, "the pool tried to add a worker for the task, and failed");
            assertEquals(1, queue.size(), "the rejected task was forced into the queue");
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            assertFalse(LivePatch.awaitTransition(Duration.ofMillis(500)),
                "the forced task holds the G0 unit open until it runs: " + LivePatch.status().transition());
            gate.countDown();
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "it ran: " + LivePatch.status().transition());
            assertEquals(List.of("v1"), ran, "the task runs the generation of the unit that submitted it");
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }
}
