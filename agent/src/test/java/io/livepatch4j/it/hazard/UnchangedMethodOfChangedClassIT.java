package io.livepatch4j.it.hazard;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.hazard.app.Server;
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
 * Hazard 9 of issue 10: stack checks are per changed method, as Linux livepatch checks per patched
 * function. The patch changes Server.version and Server.handle, not Server.serve.
 */
@ExtendWith(BackToLoadedCode.class)
class UnchangedMethodOfChangedClassIT {

    /** A main that started a server and waits in an unchanged method of the class holds nothing back. */
    @Test
    @Timeout(60)
    void threadWaitingInAnUnchangedMethodDoesNotHoldTheTransition() throws Exception {
        Held shutdown = new Held();
        Thread main = new Thread(() -> Server.serve(shutdown::hold), "main-like");
        main.start();
        try {
            shutdown.awaitArrival();
            LivePatch.apply(TestPatches.hazard("server", "Server"), Strategy.LOCAL);
            boolean complete = LivePatch.awaitTransition(Duration.ofSeconds(5));
            assertTrue(complete, "the transition completes within 5 s although 'main-like' waits in Server.serve, "
                + "which the patch does not change; status: " + StatusJson.of(LivePatch.status()));
            assertEquals("v2", Server.version());
        } finally {
            shutdown.release();
            main.join(10_000);
        }
    }

    /** The converse: a thread waiting inside a changed method's frame does hold the transition back. */
    @Test
    @Timeout(60)
    void threadWaitingInAChangedMethodHoldsTheTransition() throws Exception {
        Held inside = new Held();
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread handler = new Thread(() -> result.complete(Server.handle(inside::hold)), "handler");
        handler.start();
        try {
            inside.awaitArrival();
            LivePatch.apply(TestPatches.hazard("server", "Server"), Strategy.LOCAL);
            boolean completedEarly = LivePatch.awaitTransition(Duration.ofSeconds(1));
            inside.release();
            assertEquals("v1/v1", result.get(10, TimeUnit.SECONDS), "the frame of Server.handle ran G0 code to its end");
            assertFalse(completedEarly, "the transition completed while 'handler' was inside Server.handle, which the patch changes");
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "it completes once the frame returned");
            assertEquals("v2/v2", Server.handle(() -> { }));
        } finally {
            inside.release();
            handler.join(10_000);
        }
    }
}
