package io.livepatch4j.it.hazard;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Status;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.hazard.app.Pair;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.Held;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Hazard 3 of issue 10: a global rollback refused during a local transition. The straggler below
 * is a unit of work pinned to G0 while the local transition to G1 waits for it; the global
 * rollback waits for it too, gives up after globalTimeoutMillis (3000 in the argLine) and must
 * then have changed nothing: the straggler still runs G0, new units run G1, status says G1.
 */
@ExtendWith(BackToLoadedCode.class)
class RefusedGlobalRollbackIT {

    @Test
    @Timeout(60)
    void refusedGlobalRollbackLeavesEveryUnitOnItsGeneration() throws Exception {
        Held held = new Held();
        Pair.between = () -> {
            if (Thread.currentThread().getName().equals("straggler")) {
                held.hold();
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "straggler"));
        try {
            Future<String> straggler = pool.submit(Pair::pair); // an executor task: a unit pinned to G0
            held.awaitArrival();                                // first() ran, second() is still to come
            ApplyResult g1 = LivePatch.apply(TestPatches.hazard("pair", "Pair"), Strategy.LOCAL);
            assertEquals("running", LivePatch.status().transition().state(), "the local transition waits for the straggler");

            // The test thread is in no unit of work, so the global strategy may start here.
            PatchException refused = assertThrows(PatchException.class,
                () -> LivePatch.rollback(g1.fromGeneration(), Strategy.GLOBAL), "the straggler keeps global quiescence away");

            long current = LivePatch.currentGeneration();
            String newUnit = Quiescence.call(Pair::pair);
            held.release();
            String stragglerRan = straggler.get(10, TimeUnit.SECONDS);
            assertAll("after the refusal (" + refused.getMessage().lines().findFirst().orElse("") + ")",
                () -> assertEquals("v1+v1", stragglerRan, "the unit pinned to G0 runs G0 code in its call after the refusal"),
                () -> assertEquals(g1.generation(), current, "the refused rollback changed nothing: G1 is current"),
                () -> assertEquals("v2+v2", newUnit, "a new unit runs the code of G1, which status says is current"));

            // With the straggler gone, the local transition to G1 ends and status says G1 is current.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals("current", stateOf(g1.generation()),
                "G1's state once nothing holds its transition back; status: " + StatusJson.of(LivePatch.status())));
            assertEquals("v2+v2", Quiescence.call(Pair::pair));
        } finally {
            held.release();
            pool.shutdownNow();
        }
    }

    private static String stateOf(long generation) {
        return LivePatch.status().generations().stream().filter(g -> g.number() == generation)
            .map(Status.GenerationStatus::state).findFirst().orElse("missing");
    }
}
