package io.livepatch4j.it.review21;

import io.livepatch4j.it.support.Pools;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A virtual thread started outside any unit waits on a queue; a platform thread inside a unit hands it
 * an item (unparks it: the scheduler gets its continuation through ForkJoinPool.externalSubmit/execute,
 * hooked submissions). The continuation's adapter captures the unit; the carrier runs it without taking
 * the hold (onCarrier). Does the transition then wait for a garbage collection? (No GC here.)
 */
class Review21VirtualUnparkHoldIT {

    @Test
    @Timeout(60)
    void unparkingAVirtualThreadInsideAUnitHoldsNothingOpen() throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() >= 21, "virtual threads");
        SynchronousQueue<String> q = new SynchronousQueue<>();
        Thread vt = (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, (Runnable) () -> {
            try {
                q.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(300); // parked in take
        Quiescence.call(() -> q.offer("x", 10, TimeUnit.SECONDS));
        vt.join(10_000);
        Quiescence.call(() -> {
            Thread t = (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, (Runnable) () -> { });
            t.join(10_000);
            return null;
        });
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        boolean done = LivePatch.awaitTransition(Duration.ofSeconds(3));
        System.out.println("review21 virtual-unpark: without GC " + done + " " + Pools.status());
        boolean withGc = done || Pools.awaitWithGc(5);
        System.out.println("review21 virtual-unpark: with GC " + withGc);
        assertTrue(done, "the virtual thread ran and ended: nothing should hold G0 (without waiting for a GC): " + Pools.status());
    }
}
