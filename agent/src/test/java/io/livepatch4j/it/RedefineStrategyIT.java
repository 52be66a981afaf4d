package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.Consistency;
import io.livepatch4j.it.support.Held;
import io.livepatch4j.it.support.TestPatches;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HotSwap (redefineClasses) changes code under a running unit of work; the same consistency checker
 * that passes for local and global catches it, which shows the checker can fail.
 */
class RedefineStrategyIT {

    @Test
    void consistencyCheckerCatchesTheMixedUnitThatRedefineAllows() throws Exception {
        Greeter g = new Greeter("h");
        Consistency checker = new Consistency();
        Held held = new Held();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Greeter.betweenCalls = held::hold;
            Future<?> unit = pool.submit(() -> {
                String pair = g.pair();
                String[] parts = pair.split("\\+");
                checker.unit(parts[0], parts[1]);
            });
            held.awaitArrival();
            ApplyResult r = LivePatch.apply(TestPatches.greeterV2(), Strategy.REDEFINE);
            assertTrue(r.complete());
            held.release();
            unit.get();
            assertEquals(List.of("v1,v2 on " + threadName(pool)), checker.mixed(),
                "the unit of work saw the old first() and the new second()");
            Greeter.betweenCalls = () -> { };
            assertEquals("v2+v2", g.pair());

            LivePatch.rollback(r.fromGeneration(), Strategy.REDEFINE);
            assertEquals("v1+v1", g.pair(), "redefine rolls back too");
        } finally {
            held.release();
            pool.shutdownNow();
        }
    }

    private static String threadName(ExecutorService pool) throws Exception {
        return pool.submit(() -> Thread.currentThread().getName()).get();
    }
}
