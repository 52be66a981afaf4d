package io.livepatch4j.it.review24;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.SharedTask;
import io.livepatch4j.it.support.Pools;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rejected tasks handed along a chain of executors; the hold follows the task to where it runs. */
@ExtendWith(BackToLoadedCode.class)
class Review24PolicyChainIT {

    private final SharedTask task = new SharedTask("chain");
    private final Greeter g = task.greeter;
    private final List<String> ran = task.ran;
    private final Runnable flush = task.flush;

    private static ThreadPoolExecutor pool(String name, java.util.concurrent.RejectedExecutionHandler policy) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1), r -> new Thread(r, name), policy);
    }

    /** P rejects, its policy tries Q (which refuses, AbortPolicy) and then R, which queues it: R's run takes the G0 hold. */
    @Test
    @Timeout(90)
    void aTaskRefusedByTheSecondAndQueuedOnTheThirdRunsItsUnit() throws Exception {
        ThreadPoolExecutor r = pool("R", new ThreadPoolExecutor.AbortPolicy());
        ThreadPoolExecutor q = pool("Q", new ThreadPoolExecutor.AbortPolicy());
        ThreadPoolExecutor p = pool("P", (task, self) -> {
            try {
                q.execute(task);
            } catch (RejectedExecutionException e) {
                r.execute(task);
            }
        });
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch rGate = new CountDownLatch(1);
        try {
            Pools.occupy(p, gate);
            Pools.occupy(q, gate);
            Pools.occupy(r, rGate);
            p.execute(() -> { }); // P's queue full
            q.execute(() -> { }); // Q's queue full
            String u0 = Quiescence.call(() -> {
                p.execute(flush);
                return g.first();
            });
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            rGate.countDown();
            for (int i = 0; i < 200 && ran.isEmpty(); i++) {
                Thread.sleep(50);
            }
            gate.countDown();
            assertEquals("v1", u0);
            assertEquals(List.of("R=v1"), ran);
            assertTrue(Pools.awaitWithGc(10), "no hold left behind: " + Pools.status());
        } finally {
            gate.countDown();
            rGate.countDown();
            p.shutdownNow();
            q.shutdownNow();
            r.shutdownNow();
        }
    }

    /**
     * One Runnable submitted from units by 4 threads to P, whose policy hands it to Q (a refusal there
     * reaches the submitter), with removes from both and a patch applied and rolled back meanwhile:
     * every hold is released once the pools are idle (no leak), none twice (no exception, the
     * transition does not complete while a carried copy is still queued).
     */
    @Test
    @Timeout(120)
    void sharedTaskChurnAcrossTwoPoolsLeavesNoHold() throws Exception {
        ThreadPoolExecutor q = new ThreadPoolExecutor(1, 2, 1, TimeUnit.SECONDS, new ArrayBlockingQueue<>(2), r -> new Thread(r, "Q"));
        ThreadPoolExecutor p = new ThreadPoolExecutor(1, 2, 1, TimeUnit.SECONDS, new ArrayBlockingQueue<>(2), r -> new Thread(r, "P"),
            (task, self) -> q.execute(task));
        Runnable shared = () -> {
            g.second();
            if (ThreadLocalRandom.current().nextInt(4) == 0) {
                Thread.yield();
            }
        };
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger refused = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        Thread[] submitters = new Thread[4];
        for (int i = 0; i < submitters.length; i++) {
            submitters[i] = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        Quiescence.call(() -> {
                            try {
                                p.execute(shared);
                            } catch (RejectedExecutionException e) {
                                refused.incrementAndGet();
                            }
                            int k = ThreadLocalRandom.current().nextInt(8);
                            if (k == 0) {
                                p.remove(shared);
                            } else if (k == 1) {
                                q.remove(shared);
                            }
                            return g.first();
                        });
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "S" + i);
            submitters[i].start();
        }
        Thread.sleep(2000);
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        Thread.sleep(2000);
        LivePatch.rollback(Strategy.LOCAL);
        for (Thread t : submitters) {
            t.join();
        }
        assertNull(failure.get());
        p.shutdown();
        q.shutdown();
        assertTrue(p.awaitTermination(20, TimeUnit.SECONDS));
        assertTrue(q.awaitTermination(20, TimeUnit.SECONDS));
        assertTrue(Pools.awaitWithGc(10), "no hold left behind (refused " + refused + "): " + Pools.status());
    }
}
