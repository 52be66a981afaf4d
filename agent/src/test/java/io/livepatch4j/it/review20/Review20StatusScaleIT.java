package io.livepatch4j.it.review20;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Status;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * review20 finding 4: a carried unit's status line now names its holders with Carriers.holding,
 * a scan of the whole TASKS map, once per carried unit: O(units x queued tasks). N requests that each
 * queued one task behind a busy pool (a backlog: exactly when an operator looks at status) make one
 * status N^2 map visits; with a JFR recording on, the transition's own loop runs the same report every
 * 100 ms (StragglerEvents.look), between its checks for completion.
 *
 * Since the fix, one status scans the carried tasks and requests once (Unit#carriers).
 */
@ExtendWith(BackToLoadedCode.class)
class Review20StatusScaleIT {

    private static long statusWith(int units, boolean jfr) throws Exception {
        Greeter g = new Greeter("r20");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        try {
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL); // the units below run the newest generation
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
            pool.execute(() -> {
                try {
                    gate.await(200, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < units; i++) {
                Quiescence.run(() -> pool.execute(() -> {
                    g.second();
                    ran.incrementAndGet();
                }));
            }
            LivePatch.rollback(0, Strategy.LOCAL); // the transition waits for all these carried units
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 2; i++) {
                long t0 = System.nanoTime();
                Status s = LivePatch.status();
                best = Math.min(best, (System.nanoTime() - t0) / 1_000_000);
                assertTrue(s.transition().remaining().size() >= units);
            }
            long c0 = System.nanoTime();
            int calls = io.livepatch4j.agent.bootstrap.Unit.carriers(io.livepatch4j.agent.bootstrap.Unit.open(), 3).size();
            long carriersMs = (System.nanoTime() - c0) / 1_000_000;
            System.out.println("review20 status-scale: " + units + " carried units: status " + best + " ms; of which Unit.carriers for "
                + calls + " units: " + carriersMs + " ms");
            Recording r = jfr ? new Recording() : null;
            if (r != null) {
                r.enable("io.livepatch4j.Straggler");
                r.start();
                Thread.sleep(500);
            }
            gate.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (ran.get() < units && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            long t1 = System.nanoTime();
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(120)));
            System.out.println("review20 status-scale: " + units + " carried units: transition completed "
                + (System.nanoTime() - t1) / 1_000_000 + " ms after the last task ran (JFR " + (jfr ? "on" : "off") + ")");
            if (r != null) {
                r.close();
            }
            return best;
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(300)
    void statusWithManyCarriedUnitsScansTheCarriersOnce() throws Exception {
        long big = statusWith(16000, true);
        assertTrue(big < 1000, "one status with 16000 carried units took " + big + " ms");
    }
}
