package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmokeIT {

    @Test
    void appliedPatchRunsInNewUnitsAndRollbackRestoresOldCode() throws Exception {
        Greeter g = new Greeter("ann");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            assertEquals("v1", pool.submit(g::first).get());
            Patch p = TestPatches.greeterV2();
            ApplyResult r = LivePatch.apply(p, Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "transition completes");
            assertEquals("v2", pool.submit(g::first).get());
            assertEquals("hi ann from v2", pool.submit(g::greet).get());
            assertEquals("v2", pool.submit(Greeter::staticVersion).get());
            assertEquals("v2", g.first(), "outside any unit the call itself is the unit");
            LivePatch.rollback(r.fromGeneration(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
            assertEquals("v1", pool.submit(g::first).get());
            assertEquals("hello ann from v1", g.greet());
        } finally {
            pool.shutdownNow();
        }
    }
}
