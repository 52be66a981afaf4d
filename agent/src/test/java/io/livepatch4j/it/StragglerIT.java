package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Status;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.StragglingWorker;
import io.livepatch4j.it.support.TestPatches;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A thread that stays in one unit of work does not hold up the others, and status names it. */
class StragglerIT {

    @Test
    void stragglerDoesNotDelayOthersAndIsNamedUntilItLeaves() throws Exception {
        Greeter g = new Greeter("s");
        ExecutorService others = Executors.newFixedThreadPool(4);
        try (StragglingWorker slow = new StragglingWorker("slow-report-worker")) {
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);

            // The other threads move at once: their new units run the new code while the straggler waits.
            for (int i = 0; i < 50; i++) {
                assertEquals("v2+v2", others.submit(g::pair).get());
            }
            Status.TransitionStatus t = LivePatch.status().transition();
            assertEquals("running", t.state());
            assertEquals(1, t.threadsRemaining(), "only the straggler is behind");

            // Past stragglerMillis (200 ms in these tests) status names it, with its stack.
            await().atMost(Duration.ofSeconds(10)).until(() -> LivePatch.status().transition().remaining().get(0).straggler());
            Status.ThreadStatus s = LivePatch.status().transition().remaining().get(0);
            assertEquals("slow-report-worker", s.name());
            assertEquals("executor task", s.unitKind());
            assertEquals(0, s.generation());
            assertTrue(s.inUnitMillis() >= 200, "time in its unit of work is reported: " + s.inUnitMillis());
            assertTrue(s.stack().stream().anyMatch(f -> f.contains("Held.hold")), "its stack shows where it is: " + s.stack());

            // When it leaves its unit, the transition completes; its unit ran one generation throughout.
            assertEquals("v1+v1", slow.release());
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
            Status.TransitionStatus done = LivePatch.status().transition();
            assertEquals("complete", done.state());
            assertNotNull(done);
            assertFalse(LivePatch.status().threadsInUnits().stream().anyMatch(x -> x.generation() == 0));
        } finally {
            others.shutdownNow();
        }
    }
}
