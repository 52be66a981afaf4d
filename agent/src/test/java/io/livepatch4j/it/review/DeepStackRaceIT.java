package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Deep;
import io.livepatch4j.patch.Patch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * JDK 17 path (lp4j_stacks.c): for a stack deeper than 256 frames it calls GetFrameCount, then
 * GetStackTrace(depth + 16) in a second handshake. A running thread whose stack grew by more than 16
 * frames in between has its outermost frames cut off, and an old frame of a changed method there
 * (Deep.run) is missed. Here the thread oscillates between ~300 and ~3300 frames above Deep.run.
 */
class DeepStackRaceIT {

    @Test
    @Timeout(120)
    void aRunningDeepStackNeverHidesAnOldFrame() throws Exception {
        Patch v2 = ReviewPatches.deepV2();
        int trials = Integer.getInteger("lp4j.review.trials", 10);
        int range = Integer.getInteger("lp4j.review.range", 3000); // 10: the stack moves by less than 16 frames: holds
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch parked = new CountDownLatch(1);
            AtomicReference<String> result = new AtomicReference<>();
            Runnable noop = () -> { };
            Thread t = new Thread(null, () -> result.set(Deep.run(300, () -> {
                parked.countDown();
                ThreadLocalRandom r = ThreadLocalRandom.current();
                while (!stop.get()) {
                    Recurse.down(r.nextInt(range), noop);
                }
            })), "deep-oscillating-" + i, 256L << 20);
            t.start();
            parked.await(10, TimeUnit.SECONDS);
            LivePatch.apply(v2, Strategy.LOCAL);
            boolean completed = LivePatch.awaitTransition(Duration.ofSeconds(1));
            stop.set(true);
            t.join(10_000);
            if (completed || !"v1:v1/v1".equals(result.get())) {
                bad.add("trial " + i + ": completed while the old frame was live=" + completed + ", Deep.run returned " + result.get());
            }
            LivePatch.awaitTransition(Duration.ofSeconds(10));
            LivePatch.rollback(0, Strategy.LOCAL);
            LivePatch.awaitTransition(Duration.ofSeconds(10));
        }
        System.out.println("[review] deep oscillating stack (range " + range + "): " + bad.size() + " of " + trials + " trials missed the old frame: " + bad);
        assertEquals(List.of(), bad);
    }
}
