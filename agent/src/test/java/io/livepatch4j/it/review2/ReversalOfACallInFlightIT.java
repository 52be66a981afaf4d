package io.livepatch4j.it.review2;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.TwoCalls;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review 2, the general rule (this class is server code; TwoCalls is application code): a request
 * runs its first half in G0, a patch is applied and at once rolled back (a reversal) while it waits,
 * then it runs its second half. It must answer "v1+v1", both transitions must complete once it
 * returned, and a request begun after them runs the code as loaded. Then the same with a second apply
 * after the reversal completed, while another request is in flight (a new chain): "v1+v1" again.
 * Held in the runs made (see the report); kept as coverage.
 */
@ExtendWith(BackToLoadedCode.class)
class ReversalOfACallInFlightIT {

    @Test
    @Timeout(60)
    void aCallInFlightAcrossApplyAndReversalRunsOneGeneration() throws Exception {
        TwoCalls handler = new TwoCalls();
        assertEquals("v1+v1", inFlight(handler, () -> {
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            LivePatch.rollback(0, Strategy.LOCAL);
        }));
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the reversal completes");
        assertEquals("v1+v1", handler.handle(() -> { }), "a request after the reversal");

        assertEquals("v1+v1", inFlight(handler, () -> LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL)));
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the apply completes");
        AtomicReference<String> after = new AtomicReference<>();
        Thread t = new Thread(() -> after.set(handler.handle(() -> { })), "server-worker-after");
        t.start();
        t.join(10_000);
        assertEquals("v2+v2", after.get(), "a request after the apply completed");
    }

    /** One request on a server worker: first half, then {@code meanwhile} runs on this thread, then the second half. */
    private static String inFlight(TwoCalls handler, Step meanwhile) throws Exception {
        CountDownLatch firstDone = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<String> answer = new AtomicReference<>();
        Thread worker = new Thread(() -> answer.set(handler.handle(() -> {
            firstDone.countDown();
            try {
                go.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })), "server-worker");
        worker.start();
        assertTrue(firstDone.await(10, TimeUnit.SECONDS));
        meanwhile.run();
        Thread.sleep(50); // well under stragglerMillis (200 in the ITs)
        go.countDown();
        worker.join(10_000);
        return answer.get();
    }

    interface Step {
        void run() throws Exception;
    }
}
