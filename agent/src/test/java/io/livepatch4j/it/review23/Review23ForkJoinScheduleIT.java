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

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * JDK 25: ForkJoinPool implements ScheduledExecutorService (schedule, scheduleAtFixedRate,
 * submitWithTimeout). Its tasks go to the DelayScheduler (scheduleDelayedTask, pend) and, when due,
 * into the pool through executeEnabledScheduledTask, none of them hooked. The rule the docs give for
 * ScheduledThreadPoolExecutor (a one-shot task due now carries the unit; a delayed one joins its
 * unit while that is open) is not applied: (1) a task scheduled with no delay from a unit does not
 * hold it, so the transition does not wait and the task runs the new generation; (2) a delayed
 * task run while its unit is still open runs the new generation beside it.
 */
@ExtendWith(BackToLoadedCode.class)
class Review23ForkJoinScheduleIT {

    private static Method schedule() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "ForkJoinPool.schedule is JDK 25's");
        return ForkJoinPool.class.getMethod("schedule", Runnable.class, long.class, TimeUnit.class);
    }

    @Test
    @Timeout(90)
    void taskScheduledDueNowCarriesItsUnit() throws Exception {
        Method schedule = schedule();
        Greeter g = new Greeter("r23");
        List<String> ran = new CopyOnWriteArrayList<>();
        ForkJoinPool pool = new ForkJoinPool(1);
        CountDownLatch gate = new CountDownLatch(1);
        try {
            Pools.occupy(pool, gate);
            String mine = Quiescence.call(() -> {
                String v = g.first();
                schedule.invoke(pool, (Runnable) () -> ran.add(g.second()), 0L, TimeUnit.MILLISECONDS);
                return v;
            });
            assertEquals("v1", mine);
            Thread.sleep(300); // due, queued behind the busy worker
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            boolean doneEarly = LivePatch.awaitTransition(Duration.ofSeconds(2));
            System.out.println("review23 fj-schedule: transition completed before the due task ran: " + doneEarly);
            gate.countDown();
            for (int i = 0; i < 200 && ran.isEmpty(); i++) {
                Thread.sleep(50);
            }
            System.out.println("review23 fj-schedule: task ran " + ran);
            assertEquals(List.of("v1"), ran, "as on a ScheduledThreadPoolExecutor, a task due now carries the unit");
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(90)
    void delayedTaskJoinsItsOpenUnit() throws Exception {
        Method schedule = schedule();
        ForkJoinPool pool = new ForkJoinPool(1);
        Greeter g = new Greeter("r23");
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch inUnit = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        String[] mine = new String[2];
        Thread t = new Thread(() -> {
            try {
                Quiescence.call(() -> {
                    mine[0] = g.first();
                    schedule.invoke(pool, (Runnable) () -> {
                        ran.add(g.second());
                        done.countDown();
                    }, 600L, TimeUnit.MILLISECONDS);
                    inUnit.countDown();
                    Pools.await(done);
                    mine[1] = g.second();
                    return null;
                });
            } catch (Exception e) {
                mine[0] = e.toString();
            }
        });
        try {
            t.start();
            Pools.await(inUnit);
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            t.join(20_000);
            System.out.println("review23 fj-schedule delayed: unit " + mine[0] + "/" + mine[1] + ", task " + ran);
            assertEquals("v1", mine[0]);
            assertEquals("v1", mine[1]);
            assertEquals(List.of("v1"), ran, "delayed work joins the unit that registered it while that is open");
        } finally {
            pool.shutdownNow();
        }
    }
}
