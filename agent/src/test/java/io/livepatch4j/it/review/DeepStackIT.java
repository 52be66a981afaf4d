package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Deep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * docs/agent.md, "Call stacks that began before the transition": a thread holding a frame of a changed
 * method runs the older code in every call it makes until the frame has returned, and the transition
 * waits for it. Here the old frame (Deep.run) sits below -Dlp4j.review.depth (default 3000) frames of
 * an unchanged, unprepared method. Thread.getStackTrace (the JDK 19+ path) returns at most
 * MaxJavaStackTraceDepth (1024) frames from the top, so the frame can be missed.
 */
class DeepStackIT {

    @Test
    @Timeout(60)
    void oldFrameBelowADeepStackHoldsTheTransition() throws Exception {
        int depth = Integer.getInteger("lp4j.review.depth", 3000);
        CountDownLatch parked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> result = new AtomicReference<>();
        Thread t = new Thread(null, () -> result.set(Deep.run(depth, () -> {
            parked.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })), "deep", 256L << 20);
        t.start();
        parked.await(10, TimeUnit.SECONDS);
        LivePatch.apply(ReviewPatches.deepV2(), Strategy.LOCAL);
        boolean completed = LivePatch.awaitTransition(Duration.ofSeconds(2));
        String status = StatusJson.of(LivePatch.status());
        release.countDown();
        t.join(20_000);
        System.out.println("[review] java " + Runtime.version() + " depth " + depth + " completed-while-old-frame-live="
            + completed + " result=" + result.get());
        assertEquals("v1:v1/v1", result.get(),
            "the old frame of Deep.run must call the old helper until it returns (per-call-stack consistency)");
        assertFalse(completed, "the transition must wait for the old frame of Deep.run: " + status);
    }
}
