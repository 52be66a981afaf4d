package io.livepatch4j.it.hazard;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.hazard.app.Outer;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.Held;
import io.livepatch4j.it.support.TestPatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hazard 4 of issue 10: a unit of work begun inside a frame of a class in transition. A plain
 * thread (no unit around it) runs Outer.around, G0 code, which calls first(), then runs a
 * Quiescence unit; the patch arrives while that unit runs. When the unit ends, the frame of
 * Outer.around is still on the stack and goes on to call second(): its call stack began in G0, so
 * it must run G0 code, and the transition must wait for that frame.
 */
@ExtendWith(BackToLoadedCode.class)
class UnitBegunInsideOldFrameIT {

    @Test
    @Timeout(60)
    void oldFrameRunsItsGenerationAfterTheUnitInsideItEnds() throws Exception {
        Held inWork = new Held();
        Held afterWork = new Held();
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread plain = new Thread(() -> {
            try {
                result.complete(Outer.around(inWork::hold, afterWork::hold));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "old-frame");
        plain.start();
        inWork.awaitArrival(); // inside the unit; below it, Outer.around already ran first() in G0

        LivePatch.apply(TestPatches.hazard("outer", "Outer"), Strategy.LOCAL);
        inWork.release();
        afterWork.awaitArrival(); // the unit has ended; Outer.around's G0 frame is still on the stack
        boolean completedUnderOldFrame = LivePatch.awaitTransition(Duration.ofSeconds(1));
        afterWork.release();
        String ran = result.get(10, TimeUnit.SECONDS);
        plain.join();

        assertAll(
            () -> assertEquals("v1+v1", ran, "the call stack that began in G0 calls G0 code after the unit inside it ended"),
            () -> assertFalse(completedUnderOldFrame,
                "the transition completed while a frame of Outer's G0 code was still on 'old-frame''s stack"));
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes once the frame returned");
        assertEquals("v2+v2", Outer.around(() -> { }, () -> { }), "a new call stack runs the new code");
    }
}
