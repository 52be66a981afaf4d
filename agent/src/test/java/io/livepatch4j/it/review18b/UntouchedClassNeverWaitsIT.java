package io.livepatch4j.it.review18b;

import io.livepatch4j.agent.bootstrap.Generations;
import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.review.app.Rv18Wide;
import io.livepatch4j.it.support.Held;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * review18b: patch A changes Rv18Side and Rv18Wide; stacked patch B changes Rv18Wide only, with the
 * global strategy, while a unit in flight holds its barrier up for a second. A plain thread (no unit
 * of work) that calls Rv18Side meanwhile must never wait at that barrier: B does not touch Rv18Side,
 * whose sites keep their direct calls. 47c4c96 broke that (it left A's direct calls behind one switch
 * point, which sent Rv18Side to per-thread selection for a moment: 14 of 15 rounds had a call of
 * about 1 s); it was taken out again in ed19335.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.livepatch4j.it.support.BackToLoadedCode.class)
class UntouchedClassNeverWaitsIT {

    private static String res(String path) throws Exception {
        try (InputStream in = UntouchedClassNeverWaitsIT.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aCallOfAClassTheGlobalPatchDoesNotChangeNeverWaitsAtTheBarrier() throws Exception {
        Patch a = TestPatches.build("rv18-a", Map.of(
            "io.livepatch4j.it.review.app.Rv18Side", res("review18b/Rv18Side.java"),
            "io.livepatch4j.it.review.app.Rv18Wide", res("review18b/Rv18WideA.java")));
        Patch b = TestPatches.buildOn(a, "rv18-b", Map.of(
            "io.livepatch4j.it.review.app.Rv18Wide", res("review18b/Rv18WideB.java")));
        long v1Sum = 0, aSum = 0;
        for (int i = 0; i < 64; i++) {
            v1Sum += i;
            aSum += 1000 + i;
        }
        int rounds = Integer.getInteger("rv18.rounds", 5);
        List<String> stalls = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(1, r -> new Thread(r, "rv18-unit"));
        try {
            for (int round = 0; round < rounds; round++) {
                assertEquals(v1Sum, Rv18Caller.round());
                LivePatch.apply(a, Strategy.LOCAL);
                assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
                assertEquals(aSum, Rv18Caller.round());
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong maxNanos = new AtomicLong();
                AtomicLong wrong = new AtomicLong();
                final long expect = aSum;
                Thread caller = new Thread(() -> {
                    while (!stop.get()) {
                        long t0 = System.nanoTime();
                        long s = Rv18Caller.round();
                        long dt = System.nanoTime() - t0;
                        if (s != expect) {
                            wrong.incrementAndGet();
                        }
                        maxNanos.accumulateAndGet(dt, Math::max);
                    }
                }, "rv18-plain-caller");
                caller.start();
                Thread.sleep(200); // warm: let the JIT compile the loop with Rv18Side's direct calls
                maxNanos.set(0);
                Held held = new Held();
                Greeter g = new Greeter("rv18");
                Greeter.betweenCalls = held::hold;
                Future<String> inFlight = pool.submit(g::pair);
                held.awaitArrival();
                Greeter.betweenCalls = () -> { };
                CompletableFuture<ApplyResult> applied = new CompletableFuture<>();
                Thread applier = new Thread(() -> {
                    try {
                        applied.complete(LivePatch.apply(b, Strategy.GLOBAL));
                    } catch (Throwable t) {
                        applied.completeExceptionally(t);
                    }
                }, "rv18-applier");
                applier.start();
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!Generations.barrierRaised() && !applied.isDone() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                Thread.sleep(1000); // the unit in flight holds the barrier up for a second
                held.release();
                assertEquals("v1+v1", inFlight.get());
                assertTrue(applied.get().complete());
                assertEquals("B", Rv18Wide.v());
                stop.set(true);
                caller.join();
                assertEquals(0, wrong.get(), "Rv18Side ran the code of its generation");
                if (maxNanos.get() > 300_000_000L) {
                    stalls.add("round " + round + ": a call of Rv18Side (not in patch B) took " + maxNanos.get() / 1_000_000
                        + " ms");
                }
                System.out.println("rv18 round " + round + " max " + maxNanos.get() / 1000 + " us");
                LivePatch.rollback(0, Strategy.LOCAL);
                assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
            }
        } finally {
            Greeter.betweenCalls = () -> { };
            pool.shutdownNow();
        }
        assertTrue(stalls.isEmpty(), "a plain thread calling a class the global patch does not change waited at "
            + "the barrier: " + stalls);
    }
}
