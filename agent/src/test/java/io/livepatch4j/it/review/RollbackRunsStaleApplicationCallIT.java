package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.TwoCalls;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise broken: docs/agent.md "Generations and transitions": a rollback while a transition runs
 * reverses it, and step 4, "units of work that start from now run" the new generation; the general
 * rule: "a unit in a new call starts afresh".
 *
 * <p>A patch's transition is held open by an unrelated unit of the code as loaded. Meanwhile a worker
 * of a server the agent does not know (this class is server code) serves one request in v2 and goes
 * back to waiting in server code. The patch is then rolled back (a reversal: same chain). The worker's
 * next requests begin after the rollback was published, while the worker was idle, so they must run
 * the code as loaded ("v1+v1"). Observed: they run "v2+v2", the code being rolled back: the worker's
 * record of its first request (key = depth + method, generation G1, chain kept by the reversal) is
 * taken by AppCalls.decide for "the same call", because consecutive requests of one worker have the
 * same key; only a later stack look of the monitor that happens to catch the worker idle forgets it.
 */
@ExtendWith(BackToLoadedCode.class)
class RollbackRunsStaleApplicationCallIT {

    @Test
    @Timeout(60)
    void requestsBegunAfterARollbackRunTheRolledBackToCode() throws Exception {
        Patch v2 = TestPatches.greeterV2();
        TwoCalls handler = new TwoCalls();
        // A unit of G0 that holds the apply's transition open.
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch releaseHolder = new CountDownLatch(1);
        Thread holder = new Thread(() -> Quiescence.run(() -> {
            holding.countDown();
            try {
                releaseHolder.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), "holder");
        holder.start();
        assertTrue(holding.await(10, TimeUnit.SECONDS));
        LivePatch.apply(v2, Strategy.LOCAL);

        // The worker: waits in server code (a spin on a counter), serves the requests it is told to.
        AtomicInteger go = new AtomicInteger();
        List<String> answers = new CopyOnWriteArrayList<>();
        Thread worker = new Thread(() -> {
            int served = 0;
            while (served < 4) {
                if (go.get() > served) {
                    answers.add(handler.handle(() -> LockSupport.parkNanos(1_000_000)));
                    served++;
                } else {
                    Thread.onSpinWait();
                }
            }
        }, "unknown-server-worker");
        worker.start();
        go.set(1);
        while (answers.size() < 1) {
            Thread.sleep(1);
        }
        Thread.sleep(50); // the worker is idle in server code, outside every application call
        LivePatch.rollback(0, Strategy.LOCAL);
        go.set(4); // three requests, all begun after the rollback
        worker.join(10_000);
        releaseHolder.countDown();
        holder.join(10_000);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        System.out.println("[review] answers " + answers);
        assertEquals("v2+v2", answers.get(0), "the request served during the apply's transition ran the patch");
        assertEquals(List.of("v1+v1", "v1+v1", "v1+v1"), answers.subList(1, 4),
            "requests begun after the rollback run the code as loaded");
    }
}
