package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Rv;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short-circuiting parallel stream (anyMatch) inside a unit: fork/join tasks it created but cancelled
 * carry the unit until they are garbage-collected. Without a GC the transition waits.
 */
class ShortCircuitParallelStreamIT {

    @Test
    @Timeout(60)
    void aFinishedParallelStreamHoldsNothing() throws Exception {
        Patch v2 = ReviewPatches.rvV2();
        System.gc();
        boolean found = Quiescence.call(() -> IntStream.range(0, 2_000_000).parallel().anyMatch(i -> i == 3 && Rv.v() != null));
        LivePatch.apply(v2, Strategy.LOCAL);
        boolean done = LivePatch.awaitTransition(Duration.ofSeconds(3));
        String status = StatusJson.of(LivePatch.status());
        System.gc();
        boolean afterGc = LivePatch.awaitTransition(Duration.ofSeconds(3));
        System.out.println("[review] anyMatch (" + found + "): transition complete without GC=" + done + ", after System.gc()=" + afterGc);
        assertTrue(done, "the finished stream's unit is still open: " + status);
    }
}
