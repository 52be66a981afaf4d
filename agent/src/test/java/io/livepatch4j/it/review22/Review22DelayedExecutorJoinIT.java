package io.livepatch4j.it.review22;

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

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Delayed work registered inside a unit joins that unit while it is open (docs/agent.md, "Work
 * registered to run later"). On JDK 17, CompletableFuture.delayedExecutor schedules on a
 * ScheduledThreadPoolExecutor (joins, then carries), so the task runs its unit's generation. On JDK 25
 * it schedules on ForkJoinPool's DelayScheduler (scheduleDelayedTask), which no hook sees: the task,
 * run while its unit is still open and pinned to G0, runs a unit of its own of the new generation.
 * The STPE variant is the control.
 */
@ExtendWith(BackToLoadedCode.class)
class Review22DelayedExecutorJoinIT {

    @Test
    @Timeout(90)
    void scheduledThreadPoolDelayedTaskJoinsItsOpenUnit() throws Exception {
        ScheduledExecutorService stpe = Executors.newSingleThreadScheduledExecutor();
        try {
            check((task) -> stpe.schedule(task, 600, TimeUnit.MILLISECONDS));
        } finally {
            stpe.shutdownNow();
        }
    }

    @Test
    @Timeout(90)
    void completableFutureDelayedExecutorTaskJoinsItsOpenUnit() throws Exception {
        Executor delayed = CompletableFuture.delayedExecutor(600, TimeUnit.MILLISECONDS);
        check(delayed::execute);
    }

    private static void check(java.util.function.Consumer<Runnable> schedule) throws Exception {
        Greeter g = new Greeter("r22");
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch inUnit = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        String[] mine = new String[2];
        Thread t = new Thread(() -> {
            try {
                Quiescence.run(() -> {
                    mine[0] = g.first();
                    schedule.accept(() -> {
                        ran.add(g.second());
                        done.countDown();
                    });
                    inUnit.countDown();
                    Pools.await(done); // the unit stays open until its delayed task ran
                    mine[1] = g.second();
                });
            } catch (Exception e) {
                mine[0] = e.toString();
            }
        });
        t.start();
        Pools.await(inUnit);
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL); // the unit pins G0; the transition waits
        String fresh = Quiescence.call(g::second); // a new unit meanwhile: the new generation
        System.out.println("review22 delayed-executor: a new unit during the transition runs " + fresh);
        t.join(20_000);
        System.out.println("review22 delayed-executor (JDK " + Runtime.version().feature() + "): unit " + mine[0] + "/" + mine[1] + ", task " + ran);
        assertEquals("v1", mine[0]);
        assertEquals("v1", mine[1]);
        assertEquals(List.of("v1"), ran, "delayed work joins the unit that registered it while that is open");
    }
}
