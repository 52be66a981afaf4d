package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Rv;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveTask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every ForkJoinTask constructed inside a unit carries it (ForkJoinCreated advice on the constructor),
 * whether or not it is ever forked. (1) A task built and kept (a field, a cache) holds the G0 unit open
 * for as long as it lives: the transition never completes. (2) When a later G1 unit finally invokes it
 * inline, that G1 unit's thread runs G0 code in the middle of its own unit.
 */
class KeptForkJoinTaskIT {

    static ForkJoinTask<String> kept;

    @Test
    @Timeout(60)
    void aForkJoinTaskBuiltButNotForkedHoldsNothing() throws Exception {
        Quiescence.run(() -> {
            Rv.v();
            kept = new RecursiveTask<>() {
                @Override
                protected String compute() {
                    return Rv.v();
                }
            };
        });
        LivePatch.apply(ReviewPatches.rvV2(), Strategy.LOCAL);
        boolean done = LivePatch.awaitTransition(Duration.ofSeconds(3));
        System.gc();
        done = done || LivePatch.awaitTransition(Duration.ofSeconds(3));
        String status = StatusJson.of(LivePatch.status());
        System.out.println("[review] kept fork/join task: transition complete=" + done + " status=" + status);
        String mixed = Quiescence.call(() -> Rv.v() + "/" + kept.invoke() + "/" + Rv.v());
        System.out.println("[review] G1 unit invoking the kept task inline sees: " + mixed);
        assertEquals("v2/v2/v2", mixed, "a unit pinned to G1 ran G0 code in its own thread, between two G1 calls");
        assertTrue(done, "a task that was never forked holds a G0 unit open: " + status);
    }
}
