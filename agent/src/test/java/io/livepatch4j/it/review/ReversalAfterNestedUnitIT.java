package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.NestedThenDirect;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.quiescence.Quiescence;
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
 * Promise broken: DESIGN.md "Servers the agent does not know still get per-request consistency from a
 * general rule"; docs/agent.md: "A known unit nested in an application call (a Quiescence.run, a task
 * run inline) runs the call's generation", and a rollback while a transition runs reverses it.
 *
 * <p>A patch's transition is held open by an unrelated unit of G0. A request of a server the agent
 * does not know (this class is server code) begins after the apply: its first call into the patched
 * class runs in a nested Quiescence.run (v2, G1). While it is between its calls, the patch is rolled
 * back (a reversal of the running transition). Its second call then runs v1: the request answers
 * "v2+v1". Cause: Units.applicationCall skips the rule for a known unit on a thread that is no app
 * walker and has no record, so the call's generation (G1) is never recorded; the reversal's stack look
 * then finds the thread inside an application call and makes it an app walker, and AppCalls.decide
 * gives a walker with no record the reversal's untrackedSince, which is the first transition's (G0).
 */
@ExtendWith(BackToLoadedCode.class)
class ReversalAfterNestedUnitIT {

    @Test
    @Timeout(60)
    void aRequestBegunDuringTheTransitionRunsOneGenerationAcrossItsReversal() throws Exception {
        Patch v2 = TestPatches.greeterV2();
        NestedThenDirect handler = new NestedThenDirect();
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

        CountDownLatch between = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<String> answer = new AtomicReference<>();
        Thread worker = new Thread(() -> answer.set(handler.handle(() -> {
            between.countDown();
            try {
                go.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })), "unknown-server-worker");
        worker.start();
        assertTrue(between.await(10, TimeUnit.SECONDS));
        LivePatch.rollback(0, Strategy.LOCAL);
        go.countDown();
        worker.join(10_000);
        releaseHolder.countDown();
        holder.join(10_000);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        System.out.println("[review] request across the reversal answered " + answer.get());
        assertEquals("v2+v2", answer.get(), "the request runs the generation it began in across the reversal");
    }
}
