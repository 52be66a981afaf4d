package io.livepatch4j.it.review21;

import io.livepatch4j.it.support.Pools;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.apache.tomcat.util.threads.TaskQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Saturated pools with the JDK's four policies and Tomcat's executor (TaskQueue, RejectPolicy), many
 * submitters inside units, a patch applied midway: every task that runs must run its submitter's
 * generation, and once all is done the transition must complete without a garbage collection.
 */
class Review21PolicyStressIT {

    static final Greeter G = new Greeter("r21");

    @Test
    @Timeout(120)
    void saturatedPoolsKeepEachTaskInItsSubmittersGenerationAndHoldNothingAfterwards() throws Exception {
        ConcurrentLinkedQueue<String> mismatches = new ConcurrentLinkedQueue<>();
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        List<ExecutorService> pools = new ArrayList<>();
        RejectedExecutionHandler[] policies = {new ThreadPoolExecutor.AbortPolicy(), new ThreadPoolExecutor.CallerRunsPolicy(),
            new ThreadPoolExecutor.DiscardPolicy(), new ThreadPoolExecutor.DiscardOldestPolicy()};
        for (RejectedExecutionHandler p : policies) {
            pools.add(new ThreadPoolExecutor(1, 2, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(2), p));
        }
        TaskQueue tq = new TaskQueue(3);
        org.apache.tomcat.util.threads.ThreadPoolExecutor tomcat =
            new org.apache.tomcat.util.threads.ThreadPoolExecutor(1, 2, 1, TimeUnit.MINUTES, tq);
        tq.setParent(tomcat);
        pools.add(tomcat);
        int threads = 6;
        int rounds = 300;
        CountDownLatch half = new CountDownLatch(threads);
        CountDownLatch patched = new CountDownLatch(1);
        List<Thread> submitters = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                int id = i;
                Thread t = new Thread(() -> {
                    for (int r = 0; r < rounds; r++) {
                        if (r == rounds / 2) {
                            half.countDown(); // the patch is applied while submissions go on
                        }
                        ExecutorService pool = pools.get((id + r) % pools.size());
                        Quiescence.run(() -> {
                            String mine = G.first();
                            Runnable task = () -> {
                                ran.incrementAndGet();
                                String there = G.second();
                                if (!there.equals(mine)) {
                                    mismatches.add(pool.getClass().getSimpleName() + " submitted " + mine + " ran " + there);
                                }
                                try {
                                    Thread.sleep(1);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            };
                            try {
                                pool.execute(task);
                            } catch (RejectedExecutionException e) {
                                rejected.incrementAndGet();
                            }
                        });
                    }
                }, "submitter-" + i);
                submitters.add(t);
                t.start();
            }
            assertTrue(half.await(60, TimeUnit.SECONDS));
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            patched.countDown();
            for (Thread t : submitters) {
                t.join(60_000);
            }
            for (ExecutorService p : pools) {
                p.shutdown();
                assertTrue(p.awaitTermination(30, TimeUnit.SECONDS));
            }
            boolean done = LivePatch.awaitTransition(Duration.ofSeconds(5));
            System.out.println("review21 policy-stress: ran " + ran + " rejected " + rejected + " mismatches " + mismatches.size()
                + " transition " + Pools.status());
            assertEquals(List.of(), new ArrayList<>(mismatches), "tasks ran another generation than their submitter");
            assertTrue(done, "all tasks ran or were dropped by the executors' own policies: " + Pools.status());
        } finally {
            patched.countDown();
            pools.forEach(ExecutorService::shutdownNow);
        }
    }
}
