package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Rv;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DESIGN.md: "the generation a unit pinned travels with the work it starts (executor submissions ...)".
 * A G0 unit submits the same Runnable twice. Carriers.put refuses the second key (putIfAbsent on
 * identity), so the second run is not carried and runs whatever generation is current when it runs.
 */
class SameTaskTwiceIT {

    @Test
    @Timeout(60)
    void bothRunsOfARunnableSubmittedTwiceByAG0UnitRunG0() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch gate = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        try {
            pool.execute(() -> {
                try {
                    gate.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runnable r = () -> seen.add(Rv.v());
            Quiescence.run(() -> {
                seen.add("unit:" + Rv.v());
                pool.execute(r);
                pool.execute(r);
            });
            LivePatch.apply(ReviewPatches.rvV2(), Strategy.LOCAL);
            gate.countDown();
            pool.submit(() -> { }).get(10, TimeUnit.SECONDS);
            LivePatch.awaitTransition(Duration.ofSeconds(5));
            System.out.println("[review] same runnable twice: " + seen);
            assertEquals(List.of("unit:v1", "v1", "v1"), seen,
                "both tasks the G0 unit submitted must run G0");
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }
}
