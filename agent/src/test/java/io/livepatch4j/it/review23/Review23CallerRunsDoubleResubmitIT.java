package io.livepatch4j.it.review23;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.Pools;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A task the JDK's CallerRunsPolicy runs inline submits itself again, to two executors (a fan-out:
 * "also do this on B and on C"). Both accept it: two queued runs. Each is a submission of the same
 * rejected object nested in the rejection, so each is an `again` record that holds nothing and only
 * sets the outer record's requeued: one hold for two queued runs. docs/agent.md: "The same task
 * submitted twice carries the unit for each run." The first queued run takes the one hold; the
 * transition then completes and the second queued run runs the new generation.
 */
@ExtendWith(BackToLoadedCode.class)
class Review23CallerRunsDoubleResubmitIT {

    @Test
    @Timeout(90)
    void eachQueuedRunOfATaskSubmittedTwiceFromItsInlineRunCarriesTheUnit() throws Exception {
        Greeter g = new Greeter("r23");
        List<String> ran = new CopyOnWriteArrayList<>();
        ThreadPoolExecutor first = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new SynchronousQueue<>(),
            new ThreadPoolExecutor.CallerRunsPolicy());
        ThreadPoolExecutor b = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
        ThreadPoolExecutor c = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
        CountDownLatch gateFirst = new CountDownLatch(1);
        CountDownLatch gateB = new CountDownLatch(1);
        CountDownLatch gateC = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try {
            Pools.occupy(first, gateFirst);
            Pools.occupy(b, gateB);
            Pools.occupy(c, gateC);
            Runnable task = new Runnable() {
                @Override
                public void run() {
                    int n = runs.incrementAndGet();
                    ran.add(n + ":" + g.second());
                    if (n == 1) { // inline, in the caller's unit
                        b.execute(this);
                        c.execute(this);
                    }
                }
            };
            String mine = Quiescence.call(() -> {
                String v = g.first();
                first.execute(task); // rejected: CallerRunsPolicy runs it inline
                return v;
            });
            assertEquals("v1", mine);
            assertEquals(1, b.getQueue().size());
            assertEquals(1, c.getQueue().size());
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            boolean doneEarly = LivePatch.awaitTransition(Duration.ofSeconds(1));
            System.out.println("review23 double-resubmit: transition completed with both runs queued: " + doneEarly);
            gateB.countDown();
            for (int i = 0; i < 200 && ran.size() < 2; i++) {
                Thread.sleep(50);
            }
            boolean doneAfterOne = LivePatch.awaitTransition(Duration.ofSeconds(2));
            System.out.println("review23 double-resubmit: transition completed with one run still queued: " + doneAfterOne);
            gateC.countDown();
            for (int i = 0; i < 200 && ran.size() < 3; i++) {
                Thread.sleep(50);
            }
            System.out.println("review23 double-resubmit: runs " + ran);
            assertEquals(List.of("1:v1", "2:v1", "3:v1"), ran, "each queued run carries the submitting unit");
        } finally {
            gateFirst.countDown();
            gateB.countDown();
            gateC.countDown();
            first.shutdownNow();
            b.shutdownNow();
            c.shutdownNow();
        }
    }
}
