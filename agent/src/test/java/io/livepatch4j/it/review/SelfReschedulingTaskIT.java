package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Rv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A poller that re-schedules itself as a one-shot task (a common alternative to scheduleAtFixedRate),
 * started from outside any unit of work. Its first run begins a unit; each next schedule() is made
 * inside that unit, so it carries it: the chain is one unit forever. docs/agent.md exempts periodic
 * tasks ("a periodic task ... begins units of its own"), but this equivalent never moves, and the
 * transition never completes.
 */
class SelfReschedulingTaskIT {

    @Test
    @Timeout(60)
    void aSelfReschedulingPollerMovesToTheNewCode() throws Exception {
        ScheduledThreadPoolExecutor ses = new ScheduledThreadPoolExecutor(1);
        AtomicReference<String> last = new AtomicReference<>();
        try {
            Runnable poll = new Runnable() {
                @Override
                public void run() {
                    last.set(Rv.v());
                    if (!ses.isShutdown()) {
                        ses.schedule(this, 20, TimeUnit.MILLISECONDS);
                    }
                }
            };
            ses.execute(poll); // from the test thread, in no unit of work
            // Polled at least once (a busy machine may take a while to start the pool's thread).
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> last.get() != null);
            assertEquals("v1", last.get());
            LivePatch.apply(ReviewPatches.rvV2(), Strategy.LOCAL);
            boolean done = LivePatch.awaitTransition(Duration.ofSeconds(4));
            String status = StatusJson.of(LivePatch.status());
            System.out.println("[review] self-rescheduling poller after 4 s: runs " + last.get() + ", transition complete="
                + done + "\n" + status);
            assertEquals("v2", last.get(), "the poller still runs G0 code 4 s after the patch");
            assertTrue(done, "the transition never completes: " + status);
        } finally {
            ses.shutdownNow();
        }
    }
}
