package io.livepatch4j.it.review25;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * review25: the empty hold a copy submitted from no unit gets (Carriers.mark) while the object is held
 * elsewhere. If that copy never runs and the agent does not learn it (the application's own rejection
 * policy drops it, as a "log and drop" policy does), the empty hold stays registered for that pool,
 * and the next run of the same object on that pool takes it: a later unit's copy there runs outside
 * its unit (the newest code) and that unit's hold is never taken. Before the empty holds (981509d) a
 * copy from no unit added nothing, and the later unit's copy ran in its unit.
 */
@ExtendWith(BackToLoadedCode.class)
class Review25StaleEmptyHoldIT {

    private final SharedTask task = new SharedTask("stale");
    private final Greeter g = task.greeter;
    private final List<String> ran = task.ran;
    private final Runnable flush = task.flush;

    @Test
    @Timeout(90)
    void aCopyFromNoUnitThatTheApplicationsPolicyDropsLeavesNothingForALaterUnitsCopy() throws Exception {
        AtomicInteger dropped = new AtomicInteger();
        ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> new Thread(r, "P"));
        ThreadPoolExecutor q = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1), r -> new Thread(r, "Q"),
            (task, pool) -> dropped.incrementAndGet()); // the application's "log and drop" policy
        CountDownLatch pGate = new CountDownLatch(1);
        CountDownLatch qGate = new CountDownLatch(1);
        CountDownLatch inUnit = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        try {
            Pools.occupy(p, pGate);
            Pools.occupy(q, qGate);
            q.execute(() -> { });            // fills Q's queue, from no unit
            String u0 = task.submitFromUnit(p);   // queued on P, from a G0 unit: the object is held
            q.execute(flush);                // from no unit: an empty hold for Q; Q's policy drops it
            assertEquals(1, dropped.get());
            pGate.countDown();
            Pools.idle(p);                   // P's copy runs in its G0 unit and takes its hold
            task.awaitRuns(1);
            qGate.countDown();
            // Q is free again (not Pools.idle(q): while Q's queue is full, its policy drops the probe)
            for (int i = 0; i < 200 && (!q.getQueue().isEmpty() || q.getActiveCount() > 0); i++) {
                Thread.sleep(50);
            }
            // A G0 unit, open across the patch, submits the same object to Q.
            CompletableFuture<String> u1 = CompletableFuture.supplyAsync(() -> {
                try {
                    return Quiescence.call(() -> {
                        String first = g.first();
                        inUnit.countDown();
                        Pools.await(go);
                        q.execute(flush);
                        return first;
                    });
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, r -> new Thread(r, "U1").start());
            Pools.await(inUnit);
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            go.countDown();
            String first = u1.get(10, TimeUnit.SECONDS);
            task.awaitRuns(2);
            boolean done = Pools.awaitWithGc(10);
            assertEquals("v1,v1", u0 + "," + first);
            assertEquals("[P=v1, Q=v1] transition complete: true", ran + " transition complete: " + done,
                "the copy the G0 unit U1 submitted to Q runs G0 code, and its hold is released: " + (done ? "" : Pools.status()));
        } finally {
            pGate.countDown();
            qGate.countDown();
            go.countDown();
            cleanup(q);
            p.shutdownNow();
            q.shutdownNow();
        }
    }

    /**
     * The same stale empty hold makes every later copy of the object from no unit get one too (the object
     * "has holds"), so each copy the policy drops adds a hold that stays as long as the object lives
     * (a shared flush task: for good), and every run scans them under the map's bin lock.
     */
    @Test
    @Timeout(120)
    void copiesFromNoUnitThatThePolicyDropsDoNotPileUp() throws Exception {
        AtomicInteger dropped = new AtomicInteger();
        ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> new Thread(r, "P"));
        ThreadPoolExecutor q = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1), r -> new Thread(r, "Q"),
            (task, pool) -> dropped.incrementAndGet());
        CountDownLatch pGate = new CountDownLatch(1);
        CountDownLatch qGate = new CountDownLatch(1);
        try {
            Pools.occupy(p, pGate);
            Pools.occupy(q, qGate);
            q.execute(() -> { });
            task.submitFromUnit(p);               // the object is held (a G0 unit's copy on P)
            q.execute(flush);                // dropped, from no unit: one empty hold
            pGate.countDown();
            Pools.idle(p);                   // the unit's copy ran; only the empty hold is left
            int n = 100_000;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                q.execute(flush);            // Q still saturated: each is dropped, from no unit
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            int holds = holdsOn(flush);
            assertEquals(n + 1, dropped.get());
            assertEquals(0, holds, "holds left on a task no one will run, after " + dropped.get() + " drops (" + millis + " ms)");
        } finally {
            pGate.countDown();
            qGate.countDown();
            p.shutdownNow();
            q.shutdownNow();
        }
    }

    /** Cleanup only: runs the object on Q until no transition waits (a run on Q takes a hold left for Q). */
    private void cleanup(ThreadPoolExecutor q) {
        try {
            for (int i = 0; i < 5 && !LivePatch.awaitTransition(java.time.Duration.ofMillis(10)); i++) {
                q.execute(flush);
                Pools.idle(q);
            }
        } catch (Exception e) {
            // cleanup only
        }
    }

    /** The number of holds the agent's task map has on {@code task} (by reflection into the bootstrap runtime). */
    static int holdsOn(Object task) throws Exception {
        Class<?> carriers = Class.forName("io.livepatch4j.agent.bootstrap.Carriers", false, null);
        java.lang.reflect.Field tasks = carriers.getDeclaredField("TASKS");
        tasks.setAccessible(true);
        Object map = tasks.get(null);
        java.lang.reflect.Field units = carriers.getDeclaredField("units");
        units.setAccessible(true);
        java.util.Map<?, ?> entries = (java.util.Map<?, ?>) units.get(map);
        Class<?> probe = Class.forName("io.livepatch4j.agent.bootstrap.WeakIdentity$Probe", false, null);
        java.lang.reflect.Constructor<?> make = probe.getDeclaredConstructor(Object.class);
        make.setAccessible(true);
        Object held = entries.get(make.newInstance(task));
        if (held == null) {
            return 0;
        }
        if (held.getClass().getSimpleName().equals("Queued")) {
            java.lang.reflect.Field holds = held.getClass().getDeclaredField("holds");
            holds.setAccessible(true);
            return ((java.util.Collection<?>) holds.get(held)).size();
        }
        return 1;
    }
}
