package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Rv;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CompletableFuture.orTimeout inside a unit whose future completed at once: the JDK's Delayer cancels
 * and removes the timeout task, yet the G0 unit is released only when that task is garbage-collected.
 * On a quiet JVM (no GC) the transition waits indefinitely.
 */
class OrTimeoutIT {

    @Test
    @Timeout(60)
    void orTimeoutOfAFinishedFutureDoesNotHoldTheTransition() throws Exception {
        io.livepatch4j.patch.Patch v2 = ReviewPatches.rvV2(); // javac allocates: compile (and its GCs) first
        System.gc();
        Quiescence.run(() -> CompletableFuture.supplyAsync(Rv::v).orTimeout(10, TimeUnit.MINUTES).join());
        LivePatch.apply(v2, Strategy.LOCAL);
        boolean done = LivePatch.awaitTransition(Duration.ofSeconds(3));
        String status = StatusJson.of(LivePatch.status());
        System.out.println("[review] orTimeout: transition complete without GC=" + done + " status=" + status);
        System.gc();
        boolean afterGc = LivePatch.awaitTransition(Duration.ofSeconds(3));
        System.out.println("[review] orTimeout: complete after System.gc()=" + afterGc);
        assertTrue(done, "nothing of the G0 unit can run any more, yet the transition waits (for a GC): " + status);
    }
}
