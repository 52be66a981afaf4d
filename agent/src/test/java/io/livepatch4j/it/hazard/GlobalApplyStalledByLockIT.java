package io.livepatch4j.it.hazard;

import io.livepatch4j.agent.bootstrap.Generations;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Status;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.hazard.app.Pair;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Suspected hazard s1 of issue 10: a global apply that can never reach quiescence because a unit of
 * work in flight needs a lock held by a thread that is itself held at the barrier (it wants to
 * begin a unit while holding the lock): a deadlock the barrier creates. It must end by refusing
 * within globalTimeoutMillis (3000 in the argLine), change nothing, and leave no thread stuck.
 * Once with a monitor, once with a class initialization lock.
 */
@ExtendWith(BackToLoadedCode.class)
class GlobalApplyStalledByLockIT {

    private static final long TIMEOUT_MILLIS = 3000;
    private static final Object LOCK = new Object();
    private static final CountDownLatch INITIALIZING = new CountDownLatch(1);
    /** Set once the apply has returned, so the holder never waits for a barrier that will not come. */
    private static volatile boolean applyEnded;

    /** Its static initializer holds the class's initialization lock while it begins a unit of work. */
    static final class SlowInit {
        static {
            INITIALIZING.countDown();
            beginUnitOnceBarrierIsUp();
        }

        static void touch() {
        }
    }

    @Test
    @Timeout(60)
    void globalApplyStalledByAHeldMonitorRefusesAndChangesNothing() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        refusesCleanly(() -> {
            synchronized (LOCK) {
                holding.countDown();
                beginUnitOnceBarrierIsUp();
            }
        }, holding, () -> {
            synchronized (LOCK) {
                LOCK.notifyAll();
            }
        });
    }

    @Test
    @Timeout(60)
    void globalApplyStalledByAClassInitializationLockRefusesAndChangesNothing() throws Exception {
        refusesCleanly(SlowInit::touch, INITIALIZING, SlowInit::touch);
    }

    /**
     * {@code holder} runs on a plain thread: it takes a lock, counts {@code holding} down and begins a
     * unit once the barrier is up. A unit of work in flight (inside Pair.pair, after first()) then
     * runs {@code need}, which waits for that lock.
     */
    private static void refusesCleanly(Runnable holder, CountDownLatch holding, Runnable need) throws Exception {
        CountDownLatch needing = new CountDownLatch(1);
        Pair.between = () -> {
            if (Thread.currentThread().getName().equals("needs-lock")) {
                needing.countDown();
                need.run();
            }
        };
        Patch patch = TestPatches.hazard("pair", "Pair"); // compiled first: the time limit is the apply's
        Status before = LivePatch.status();
        applyEnded = false;
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "needs-lock"));
        Thread holderThread = new Thread(holder, "holds-lock");
        try {
            holderThread.start();
            assertTrue(holding.await(10, TimeUnit.SECONDS), "the holder took the lock");
            Future<String> inFlight = pool.submit(Pair::pair);
            assertTrue(needing.await(10, TimeUnit.SECONDS), "the unit in flight reached the lock");

            long start = System.nanoTime();
            PatchException refused = assertThrows(PatchException.class,
                () -> LivePatch.apply(patch, Strategy.GLOBAL));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            applyEnded = true;

            String ranInFlight = inFlight.get(10, TimeUnit.SECONDS);
            holderThread.join(10_000);
            Status after = LivePatch.status();
            assertAll("refused with: " + refused.getMessage(),
                () -> assertTrue(tookMillis < TIMEOUT_MILLIS + 2000, "refused within globalTimeoutMillis: took " + tookMillis + " ms"),
                () -> assertFalse(Generations.barrierRaised(), "the barrier is down"),
                () -> assertFalse(holderThread.isAlive(), "the thread held at the barrier went on"),
                () -> assertEquals("v1+v1", ranInFlight, "the unit in flight finished in its generation"),
                () -> assertEquals(before.currentGeneration(), after.currentGeneration(), "no generation was switched"),
                () -> assertEquals("v1+v1", Quiescence.call(Pair::pair), "new units run the old code"),
                () -> assertTrue(after.transition() == null || !after.transition().state().equals("running"),
                    "no transition runs: " + StatusJson.of(after)),
                () -> assertTrue(after.classes().stream().allMatch(c -> c.version() == 0 && !c.guard()),
                    "no class is patched: " + StatusJson.of(after)));
        } finally {
            applyEnded = true;
            pool.shutdownNow();
            holderThread.join(10_000);
        }
    }

    /** Waits (bounded) for the global strategy's barrier, then begins a unit of work, which the barrier holds back. */
    private static void beginUnitOnceBarrierIsUp() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Generations.barrierRaised() && !applyEnded && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
        }
        Quiescence.run(() -> { });
    }
}
