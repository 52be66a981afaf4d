package io.livepatch4j.it.review21;

import io.livepatch4j.it.support.Pools;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fixed pool whose workers are virtual threads (Executors.newFixedThreadPool(n, Thread.ofVirtual().factory())).
 * The pool starts its worker inside the first submission, inside a unit: VirtualThread.start is a
 * submission, so the worker thread carries that unit for its whole life (a core worker never ends).
 * docs/agent.md: "a pool growing its workers inside a request must not pin them to it".
 */
class Review21VirtualWorkerPinsUnitIT {

    @Test
    @Timeout(60)
    void aPoolWithVirtualWorkersStartedInsideAUnitDoesNotPinIt() throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() >= 21, "virtual threads");
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
        ThreadFactory virtual = (ThreadFactory) factory.invoke(builder);
        Greeter g = new Greeter("r21");
        ExecutorService pool = Executors.newFixedThreadPool(1, virtual);
        try {
            Quiescence.call(() -> pool.submit(() -> { }).get(10, TimeUnit.SECONDS)); // starts the worker
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            boolean done = Pools.awaitWithGc(5);
            System.out.println("review21 virtual-worker: " + Pools.status());
            String later = pool.submit(g::second).get(10, TimeUnit.SECONDS);
            System.out.println("review21 virtual-worker: a task submitted after the patch, outside any unit, ran " + later);
            assertTrue(done, "the unit that started the pool has ended: " + Pools.status());
            assertEquals("v2", later);
        } finally {
            pool.shutdownNow();
        }
    }
}
