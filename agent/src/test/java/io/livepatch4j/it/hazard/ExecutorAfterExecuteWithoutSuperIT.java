package io.livepatch4j.it.hazard;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.hazard.app.Pair;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hazard 7 of issue 10: a ThreadPoolExecutor subclass whose afterExecute does not call super (legal,
 * and common: the base method is empty). Each task is still one unit of work; between tasks the
 * idle worker holds none, so it must neither keep the transition from completing nor run old code.
 */
@ExtendWith(BackToLoadedCode.class)
class ExecutorAfterExecuteWithoutSuperIT {

    @Test
    @Timeout(60)
    void workerOfExecutorSkippingSuperAfterExecuteMovesToTheNewCode() throws Exception {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
            r -> new Thread(r, "no-super-worker")) {
            @Override
            protected void afterExecute(Runnable r, Throwable t) {
                // a metrics hook, say; the base method is empty, so many subclasses never call it
            }
        };
        try {
            assertEquals("v1+v1", pool.submit(Pair::pair).get(10, TimeUnit.SECONDS), "a task before the patch");
            LivePatch.apply(TestPatches.hazard("pair", "Pair"), Strategy.LOCAL);
            boolean complete = LivePatch.awaitTransition(Duration.ofSeconds(5));
            String status = StatusJson.of(LivePatch.status());
            String after = pool.submit(Pair::pair).get(10, TimeUnit.SECONDS);
            assertAll(
                () -> assertTrue(complete, "the transition completes within 5 s: the worker is idle between tasks; "
                    + "status: " + status),
                () -> assertEquals("v2+v2", after, "a task submitted after the apply runs the new code"));
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
