package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Rv;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Work that will never run G0 code keeps a G0 unit open, so the transition does not complete.
 * (1) A one-shot task scheduled for an hour and cancelled at once: ScheduledThreadPoolExecutor keeps
 * cancelled tasks queued until their delay (removeOnCancelPolicy is false by default), so no GC helps.
 */
class CancelledScheduledTaskIT {

    @Test
    @Timeout(60)
    void aCancelledScheduledTaskDoesNotHoldTheTransition() throws Exception {
        ScheduledThreadPoolExecutor ses = new ScheduledThreadPoolExecutor(1);
        try {
            Quiescence.run(() -> {
                Rv.v();
                ScheduledFuture<?> f = ses.schedule(() -> Rv.v(), 1, TimeUnit.HOURS);
                f.cancel(false);
            });
            LivePatch.apply(ReviewPatches.rvV2(), Strategy.LOCAL);
            boolean done = LivePatch.awaitTransition(Duration.ofSeconds(3));
            System.gc();
            done = done || LivePatch.awaitTransition(Duration.ofSeconds(3));
            String status = StatusJson.of(LivePatch.status());
            System.out.println("[review] cancelled scheduled task: transition complete=" + done + " status=" + status);
            assertTrue(done, "a cancelled task that will never run holds a G0 unit open: " + status);
        } finally {
            ses.shutdownNow();
        }
    }
}
