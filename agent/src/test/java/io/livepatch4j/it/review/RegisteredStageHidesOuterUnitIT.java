package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise broken: DESIGN.md "Version consistency: every unit of work runs all patchable code in exactly
 * one generation"; "The transition is complete when no thread is inside a unit of work of an older
 * generation".
 *
 * <p>Unit B (G0) is in flight on thread T when the patch is applied. Unit A begins after the apply (G1)
 * and registers a dependent stage on a future; B completes that future, so the stage runs inline on T,
 * joined into A (as docs/agent.md promises). While the stage runs, T announces A's generation (G1):
 * B is still open on T underneath, but B was never detached (nothing but its thread holds it), so it
 * is in no thread's announcement and not in Unit.open(). The transition completes and retires G0
 * while B is in flight; when the stage returns, B goes on and its next call runs v2 directly. B
 * answers "v1+v2". Cause: Units.join (via enterRegistered) overwrites the thread's announcement of its
 * own unit without making that unit visible to the transition (e.g. detaching it into OPEN).
 */
@ExtendWith(BackToLoadedCode.class)
class RegisteredStageHidesOuterUnitIT {

    private static final Greeter GREETER = new Greeter("hidden");

    @Test
    @Timeout(60)
    void aUnitWhoseThreadRunsAnotherUnitsStageStillHoldsTheTransition() throws Exception {
        Patch v2 = TestPatches.greeterV2();
        CompletableFuture<String> source = new CompletableFuture<>();
        CountDownLatch bStarted = new CountDownLatch(1);
        CountDownLatch applied = new CountDownLatch(1);
        CountDownLatch registered = new CountDownLatch(1);
        CountDownLatch stageRan = new CountDownLatch(1);
        AtomicBoolean completedDuringB = new AtomicBoolean();
        AtomicReference<String> b = new AtomicReference<>();
        AtomicReference<String> stageSaw = new AtomicReference<>();

        Thread unitB = new Thread(() -> Quiescence.run(() -> {
            String first = GREETER.first(); // G0
            bStarted.countDown();
            await(applied);
            await(registered);
            source.complete("go"); // A's stage runs inline here, joined into A
            String second = GREETER.second();
            b.set(first + "+" + second);
        }), "unit-B");
        Thread unitA = new Thread(() -> Quiescence.run(() -> {
            source.thenRun(() -> {
                stageSaw.set(GREETER.first());
                try {
                    // While the stage runs on B's thread, does the transition think B is done?
                    completedDuringB.set(LivePatch.awaitTransition(Duration.ofSeconds(2)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stageRan.countDown();
            });
            registered.countDown();
            await(stageRan); // A stays open until its stage ran
        }), "unit-A");

        unitB.start();
        assertTrue(bStarted.await(10, TimeUnit.SECONDS));
        LivePatch.apply(v2, Strategy.LOCAL);
        applied.countDown();
        unitA.start();
        unitB.join(20_000);
        unitA.join(20_000);
        System.out.println("[review] B answered " + b.get() + ", A's stage saw " + stageSaw.get()
            + ", transition completed while B was open: " + completedDuringB.get());
        assertEquals("v2", stageSaw.get(), "the stage runs its registering unit's generation (G1)");
        assertFalse(completedDuringB.get(), "the transition cannot complete while unit B (G0) is open");
        assertEquals("v1+v1", b.get(), "unit B runs one generation");
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
