package io.livepatch4j.it.hazard;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.hazard.app.Pair;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.Held;
import io.livepatch4j.it.support.TestPatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hazard 8 of issue 10: a thread marked lingering. A plain thread (no unit of work) is inside
 * Pair.pair, G0 code, when the transition starts; its next call into Pair becomes an implicit unit
 * that finds the old frame below and runs G0 (the thread lingers). While it is still inside that
 * frame, the transition must wait for it; once it has returned out of Pair entirely and waits in
 * code the patch does not touch, it holds nothing back any more, and the transition must complete.
 */
@ExtendWith(BackToLoadedCode.class)
class LingeringThreadIT {

    @Test
    @Timeout(60)
    void threadThatLeftThePatchedClassNoLongerHoldsTheTransition() throws Exception {
        Held inside = new Held();
        Held stillInside = new Held();
        Held idle = new Held();
        CompletableFuture<String> nested = new CompletableFuture<>();
        Pair.between = () -> {
            if (Thread.currentThread().getName().equals("lingerer")) {
                inside.hold(); // the transition starts here
                nested.complete(Pair.second()); // an implicit unit above the old frame of Pair.pair: it lingers
                stillInside.hold();
            }
        };
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread lingerer = new Thread(() -> {
            result.complete(Pair.pair());
            idle.hold(); // out of Pair: a wait in test code, no patched frame on the stack
        }, "lingerer");
        lingerer.start();
        try {
            inside.awaitArrival();
            LivePatch.apply(TestPatches.hazard("pair", "Pair"), Strategy.LOCAL);
            inside.release();
            stillInside.awaitArrival();
            boolean completedWhileInside = LivePatch.awaitTransition(Duration.ofSeconds(1));
            stillInside.release();
            assertEquals("v1", nested.get(10, TimeUnit.SECONDS), "a call above the old frame runs G0");
            assertEquals("v1+v1", result.get(10, TimeUnit.SECONDS), "the call stack that began in G0 ran G0 to its end");
            assertFalse(completedWhileInside, "the transition completed while 'lingerer' was still inside Pair.pair's G0 frame");
            idle.awaitArrival();
            boolean complete = LivePatch.awaitTransition(Duration.ofSeconds(5));
            assertTrue(complete, "the transition completes within 5 s once 'lingerer' has left Pair; status: "
                + StatusJson.of(LivePatch.status()));
            assertEquals("v2+v2", Pair.pair());
        } finally {
            inside.release();
            stillInside.release();
            idle.release();
            lingerer.join(10_000);
        }
    }
}
