package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.CallsThenWaits;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
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
 * Promise broken (docs/agent.md, the general rule, "Where it ends"): "A thread found inside an
 * application call when the transition began that makes no call into the classes in transition for
 * stragglerMillis (... a request busy elsewhere for that long) stops holding the transition: were it to
 * hold it, a thread that never leaves its call would hold every transition for good." Only "a call that
 * never returns and keeps calling the classes in transition" is to hold it.
 *
 * <p>A request in flight at the apply (server code: this class) makes one more call into the patched
 * class right after the apply and then waits 6 s without any call (a long-poll). The failsafe JVM runs
 * with stragglerMillis=200. Expected: the transition completes about 200 ms after that last call.
 * Observed: it waits for the whole request. Cause: Transition.recheckAppCalls lets a walker go only if
 * it has no recorded call at all (s.appCallGeneration() == null); a thread that made one call since the
 * transition began keeps a record of the older generation and is never let go, however long it has been
 * silent (no time of the last call is kept).
 */
@ExtendWith(BackToLoadedCode.class)
class NoCallForStragglerMillisIT {

    @Test
    @Timeout(60)
    void aCallSilentForStragglerMillisStopsHoldingTheTransition() throws Exception {
        Patch v2 = TestPatches.greeterV2();
        CallsThenWaits handler = new CallsThenWaits();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch applied = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> answer = new AtomicReference<>();
        Thread worker = new Thread(() -> answer.set(handler.handle(() -> {
            inside.countDown();
            await(applied, 20);
        }, () -> await(release, 6))), "long-poll-worker");
        worker.start();
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        LivePatch.apply(v2, Strategy.LOCAL);
        applied.countDown();
        boolean completed = LivePatch.awaitTransition(Duration.ofSeconds(3));
        String status = StatusJson.of(LivePatch.status());
        release.countDown();
        worker.join(10_000);
        System.out.println("[review] answer " + answer.get() + ", completed within 3 s: " + completed);
        assertEquals("v1+v1", answer.get());
        assertTrue(completed, "a call silent for 3 s (stragglerMillis=200) no longer holds the transition: " + status);
    }

    private static void await(CountDownLatch l, int seconds) {
        try {
            l.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
