package io.livepatch4j.it.review20;

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
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * review20 finding 3: "one a worker took meanwhile already took its hold" (Units#rejectedFrom) is not
 * so. A worker takes the task off the queue, then runs beforeExecute, and only then takes the hold
 * (enterHooked/runTask). If the submission returns in between, queue.contains(task) is false and the
 * hold is released: the task then runs in a unit of its own, of the newest generation, though the unit
 * that submitted it ran G0. Shown with the well-known "block the caller" policy
 * (getQueue().put(r)) on a SynchronousQueue, where put returns only once a worker has taken the task,
 * so the worker has always dequeued it before the submission returns; beforeExecute (an MDC/metrics
 * hook) waits here for the apply to make the interleaving certain. Tomcat's forced queue has the same
 * window (a worker parked in take() gets the task before execute returns).
 *
 * Since the fix, a rejected task keeps its hold unless the submission threw or one of the executor's
 * own policies handled it (Submissions): the worker takes the hold and the task runs G0.
 */
@ExtendWith(BackToLoadedCode.class)
class Review20BlockingPolicyRaceIT {

    @Test
    @Timeout(60)
    void taskForcedIntoTheQueueAndTakenBeforeTheSubmissionEndsRunsItsSubmittersGeneration() throws Exception {
        Greeter g = new Greeter("r20");
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch applied = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        Runnable task = () -> ran.add(g.second());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new SynchronousQueue<>(),
            (r, e) -> {
                try {
                    e.getQueue().put(r); // block the caller until a worker takes it
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }) {
            @Override
            protected void beforeExecute(Thread t, Runnable r) {
                if (r == task) {
                    try {
                        applied.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try {
            Pools.occupy(pool, gate);
            String[] submitter = new String[1];
            Thread t = new Thread(() -> {
                try {
                    submitter[0] = Quiescence.call(() -> {
                        String mine = g.first();
                        pool.execute(task); // the worker is busy: rejected, the policy blocks in put
                        return mine;
                    });
                } catch (Exception e) {
                    submitter[0] = e.toString();
                }
            });
            t.start();
            Thread.sleep(300);
            gate.countDown(); // the worker finishes and takes the task: put returns, the submission ends
            t.join(10_000);
            assertEquals("v1", submitter[0]);
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            boolean doneEarly = LivePatch.awaitTransition(Duration.ofMillis(300));
            System.out.println("review20 blocking-policy: transition completed before the carried task ran: " + doneEarly);
            applied.countDown();
            pool.submit(() -> { }).get(10, TimeUnit.SECONDS);
            System.out.println("review20 blocking-policy: task ran " + ran);
            assertEquals(List.of("v1"), ran, "the task runs the generation of the unit that submitted it");
        } finally {
            gate.countDown();
            applied.countDown();
            pool.shutdownNow();
        }
    }
}
