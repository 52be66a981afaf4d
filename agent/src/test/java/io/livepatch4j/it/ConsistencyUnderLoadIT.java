package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.Consistency;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Version consistency under concurrent load, with the local strategy: 8 executor threads run units
 * of work that call two patched methods with work between them, while the test applies a patch and
 * rolls it back again and again.
 */
class ConsistencyUnderLoadIT {

    private static final int THREADS = 8;
    private static final int CYCLES = 20;

    @Test
    void unitOfWorkNeverSeesTwoGenerations() throws Exception {
        Patch v2 = TestPatches.build("greeter-v2-load", Map.of("io.livepatch4j.it.app.Greeter",
            TestPatches.source("Greeter.java")));
        Greeter greeter = new Greeter("load");
        Consistency checker = new Consistency();
        ExecutorService workers = Executors.newFixedThreadPool(THREADS);
        AtomicBoolean running = new AtomicBoolean(true);
        // The generation whose apply or rollback last returned: a unit submitted after that must run
        // it or a newer one, and the code it runs must be that generation's.
        long[] codeOf = new long[2 * CYCLES + 2];
        java.util.concurrent.atomic.AtomicLong minGeneration = new java.util.concurrent.atomic.AtomicLong(0);
        Thread submitter = new Thread(() -> {
            while (running.get()) {
                long min = minGeneration.get();
                try {
                    workers.submit(() -> {
                        try {
                            long g = LivePatch.threadGeneration();
                            String a = greeter.first();
                            LockSupport.parkNanos(20_000);
                            String b = greeter.second();
                            checker.unit(a, b);
                            String expected = g % 2 == 0 ? "v1" : "v2";
                            if (g < min) {
                                checker.wrong("unit submitted after G" + min + " was published ran G" + g);
                            } else if (!a.equals(expected)) {
                                checker.wrong("G" + g + " ran " + a + ", expected " + expected);
                            }
                        } catch (Throwable t) {
                            checker.error(t);
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    return;
                }
                LockSupport.parkNanos(5_000);
            }
        }, "submitter");
        submitter.start();
        try {
            for (int i = 0; i < CYCLES; i++) {
                Thread.sleep(20);
                ApplyResult applied = LivePatch.apply(v2, Strategy.LOCAL);
                minGeneration.set(applied.generation());
                assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(20)), "apply transition completes");
                Thread.sleep(20);
                ApplyResult back = LivePatch.rollback(applied.fromGeneration(), Strategy.LOCAL);
                minGeneration.set(back.generation());
                assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(20)), "rollback transition completes");
            }
        } finally {
            running.set(false);
            submitter.join();
            workers.shutdown();
            assertTrue(workers.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertTrue(checker.units() > 1000, "enough units ran: " + checker.units());
        assertEquals(java.util.List.of(), checker.errors(), "nothing threw");
        assertEquals(java.util.List.of(), checker.mixed(), "no unit of work saw two generations");
        assertEquals(java.util.List.of(), checker.wrong(), "units ran their generation's code, never an older one");
    }
}
