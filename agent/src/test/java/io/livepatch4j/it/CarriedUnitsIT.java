package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Work started inside a unit of work carries it to the thread that runs it, and holds it open until then. */
@ExtendWith(BackToLoadedCode.class)
class CarriedUnitsIT {

    @Test
    @Timeout(60)
    void taskSubmittedInsideAUnitRunsThatUnitsGenerationAfterAPatch() throws Exception {
        Greeter g = new Greeter("carried");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch gate = new CountDownLatch(1);
        try {
            pool.submit(() -> gate.await(10, TimeUnit.SECONDS)); // keeps the worker busy: the next task waits queued
            AtomicReference<Future<String>> second = new AtomicReference<>();
            String first = Quiescence.call(() -> {
                second.set(pool.submit(g::second));
                return g.first();
            });
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            assertFalse(LivePatch.awaitTransition(Duration.ofMillis(500)),
                "the transition waits for the task the G0 unit submitted and that has not run yet");
            assertTrue(LivePatch.status().transition().remaining().stream()
                    .anyMatch(r -> r.name().contains("not finished: java.util.concurrent.FutureTask")),
                "status names the task that holds the unit: " + LivePatch.status().transition());
            gate.countDown();
            assertEquals("v1+v1", first + "+" + second.get().get(10, TimeUnit.SECONDS),
                "the task runs the generation of the unit that submitted it, after the patch was applied");
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes once it ran");
            assertEquals("v2", pool.submit(g::second).get(10, TimeUnit.SECONDS));
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(60)
    void taskRejectedAndRunByTheCallerHoldsNothingOpen() throws Exception {
        Greeter g = new Greeter("rejected");
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new SynchronousQueue<>(),
            new ThreadPoolExecutor.CallerRunsPolicy());
        CountDownLatch gate = new CountDownLatch(1);
        try {
            pool.execute(() -> {
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            String ran = Quiescence.call(() -> {
                AtomicReference<String> inline = new AtomicReference<>();
                pool.execute(() -> inline.set(g.second())); // the worker is busy: the caller runs it
                return inline.get();
            });
            assertEquals("v1", ran);
            gate.countDown();
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)),
                "a rejected task that ran inline leaves no unit open: " + LivePatch.status().transition());
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(60)
    void taskDrainedByShutdownNowHoldsNothingOpenWhileStillReachable() throws Exception {
        Greeter g = new Greeter("drained");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch gate = new CountDownLatch(1);
        try {
            // Keeps the worker busy, however slow the machine: the next task waits queued (CI once saw the apply
            // outlast a 10 s gate, and the worker then took the task instead).
            pool.submit(() -> gate.await(50, TimeUnit.SECONDS));
            Quiescence.run(() -> pool.execute(g::second));
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            List<Runnable> drained = pool.shutdownNow(); // interrupts the busy worker; the queued task never runs
            assertEquals(1, drained.size(), "shutdownNow drained the task the G0 unit submitted");
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)),
                "a drained task releases its unit at once, not when it is collected: " + LivePatch.status().transition());
            Reference.reachabilityFence(drained); // so the collector cannot be what released it
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(60)
    void taskRemovedFromTheQueueReleasesOneHoldAtOnce() throws Exception {
        Greeter g = new Greeter("removed");
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new java.util.concurrent.LinkedBlockingQueue<>());
        CountDownLatch gate = new CountDownLatch(1);
        List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            pool.submit(() -> gate.await(50, TimeUnit.SECONDS)); // keeps the worker busy: the next tasks wait queued
            Runnable twice = () -> ran.add(g.second());
            Quiescence.run(() -> {
                pool.execute(twice);
                pool.execute(twice);
            });
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            assertTrue(pool.remove(twice), "one queued copy removed");
            assertFalse(LivePatch.awaitTransition(Duration.ofMillis(500)),
                "the copy still queued holds the G0 unit open: " + LivePatch.status().transition());
            gate.countDown();
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)),
                "the removed copy released its hold at once, the other once it ran: " + LivePatch.status().transition());
            assertEquals(List.of("v1"), ran, "the copy left runs the generation of the unit that submitted it");
            Reference.reachabilityFence(twice); // so the collector cannot be what released it
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }
}
