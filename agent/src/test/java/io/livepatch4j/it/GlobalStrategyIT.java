package io.livepatch4j.it;

import io.livepatch4j.agent.bootstrap.Generations;
import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.Held;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The global strategy holds every unit of work back until all are quiescent at once. */
@org.junit.jupiter.api.extension.ExtendWith(io.livepatch4j.it.support.BackToLoadedCode.class)
class GlobalStrategyIT {

    @Test
    void noUnitOfWorkStartsWhileTheBarrierWaits() throws Exception {
        Greeter g = new Greeter("g");
        Held held = new Held();
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "global-worker"));
        // A plain thread, not an executor task: the global strategy refuses to start inside a unit of work.
        CompletableFuture<ApplyResult> apply = new CompletableFuture<>();
        Patch patch = TestPatches.greeterV2();
        Thread applier = new Thread(() -> {
            try {
                apply.complete(LivePatch.apply(patch, Strategy.GLOBAL));
            } catch (Throwable t) {
                apply.completeExceptionally(t);
            }
        }, "applier");
        try {
            Greeter.betweenCalls = held::hold;
            Future<String> inFlight = pool.submit(g::pair);
            held.awaitArrival();
            Greeter.betweenCalls = () -> { };

            applier.start();
            // Poll on this thread: Awaitility's own poller is an executor task, which the barrier holds too.
            await().pollInSameThread().atMost(Duration.ofSeconds(10))
                .until(() -> Generations.barrierRaised() || apply.isDone());
            if (apply.isDone()) {
                apply.get(); // shows why it ended early
            }
            assertTrue(!apply.isDone(), "apply waits at the barrier");

            AtomicInteger started = new AtomicInteger();
            List<Future<String>> queued = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                queued.add(pool.submit(() -> {
                    started.incrementAndGet();
                    return g.pair();
                }));
            }
            Thread.sleep(300);
            assertEquals(0, started.get(), "no unit of work started while the barrier waited");
            assertTrue(!apply.isDone(), "the barrier waits for the unit in flight");
            assertTrue(Generations.barrierRaised());

            held.release();
            assertEquals("v1+v1", inFlight.get(), "the unit in flight finished in its generation");
            ApplyResult r = apply.get();
            assertTrue(r.complete(), "global switches everything at once");
            for (Future<String> f : queued) {
                assertEquals("v2+v2", f.get(), "units held at the barrier ran the new generation");
            }
            assertEquals(8, started.get());
        } finally {
            held.release();
            pool.shutdownNow();
            applier.join(10_000);
        }
    }

    @Test
    void globalStrategyRefusesToStartInsideAUnitOfWork() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Patch p = TestPatches.greeterV2();
            long before = LivePatch.currentGeneration();
            Future<?> f = pool.submit(() -> {
                PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(p, Strategy.GLOBAL));
                assertTrue(e.getMessage().contains("inside a unit of work"), e.getMessage());
                return null;
            });
            f.get();
            assertEquals(before, LivePatch.currentGeneration(), "nothing changed");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void globalQuiescenceTimeoutChangesNothing() throws Exception {
        Greeter g = new Greeter("t");
        Held held = new Held();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Greeter.betweenCalls = held::hold;
            Future<String> stuck = pool.submit(g::pair);
            held.awaitArrival();
            Greeter.betweenCalls = () -> { };
            long before = LivePatch.currentGeneration();

            PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(TestPatches.greeterV2(), Strategy.GLOBAL));
            assertTrue(e.getMessage().contains("global quiescence was not reached"), e.getMessage());
            assertEquals(before, LivePatch.currentGeneration(), "nothing was switched");
            assertEquals(false, Generations.barrierRaised(), "the barrier is down again");
            assertEquals("v1+v1", CompletableFuture.supplyAsync(g::pair, pool).get(), "units run the old code");
            held.release();
            assertEquals("v1+v1", stuck.get());
        } finally {
            held.release();
            pool.shutdownNow();
        }
    }
}
