package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Status;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.Consistency;
import io.livepatch4j.it.support.Held;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Threads that no known unit of work encloses (a server the agent does not know): the outermost call
 * into a patched class is the unit, so every call stack runs one generation.
 */
@ExtendWith(BackToLoadedCode.class)
class OutermostCallIT {

    @Test
    void callStackEnteredBeforeTheApplyRunsItsGenerationToTheEnd() throws Exception {
        Greeter g = new Greeter("o");
        Held held = new Held();
        Greeter.betweenCalls = () -> {
            if (Thread.currentThread().getName().equals("plain-loop")) {
                held.hold();
            }
        };
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread plain = new Thread(() -> result.complete(g.pair()), "plain-loop");
        plain.start();
        held.awaitArrival();

        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        Thread.sleep(300);
        Status.TransitionStatus t = LivePatch.status().transition();
        assertEquals("running", t.state(), "the transition waits for the thread inside the old call stack");
        assertEquals(List.of("plain-loop"), t.remaining().stream().map(Status.ThreadStatus::name).toList());
        assertTrue(t.remaining().get(0).lingering());

        held.release();
        assertEquals("v1+v1", result.get(), "the call stack that began in G0 ran G0 throughout");
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("v2+v2", g.pair(), "a new outermost call runs the new generation");
        plain.join();
    }

    @Test
    void callStackEnteredWhileCallsWereDirectRunsItsVersionToTheEnd() throws Exception {
        Greeter g = new Greeter("d");
        ApplyResult applied = LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        Held held = new Held();
        Greeter.betweenCalls = () -> {
            if (Thread.currentThread().getName().equals("plain-direct")) {
                held.hold();
            }
        };
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread plain = new Thread(() -> result.complete(g.pair()), "plain-direct");
        plain.start();
        held.awaitArrival();

        LivePatch.rollback(applied.fromGeneration(), Strategy.LOCAL);
        Thread.sleep(300);
        Status.TransitionStatus t = LivePatch.status().transition();
        assertEquals("running", t.state(), "the rollback waits for the call stack that began in G1");
        assertEquals(List.of("plain-direct"), t.remaining().stream().map(Status.ThreadStatus::name).toList());
        held.release();
        assertEquals("v2+v2", result.get());
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("v1+v1", g.pair());
        plain.join();
    }

    @Test
    void outermostCallIsTheUnitOfWorkUnderRepeatedPatching() throws Exception {
        Greeter g = new Greeter("loop");
        Greeter.betweenCalls = Thread::onSpinWait;
        Consistency checker = new Consistency();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> loops = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    try {
                        String[] parts = g.pair().split("\\+");
                        checker.unit(parts[0], parts[1]);
                    } catch (Throwable e) {
                        checker.error(e);
                    }
                }
            }, "plain-" + i);
            t.start();
            loops.add(t);
        }
        Patch p = TestPatches.greeterV2();
        try {
            for (int i = 0; i < 10; i++) {
                ApplyResult r = LivePatch.apply(p, Strategy.LOCAL);
                assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(20)));
                Thread.sleep(10);
                LivePatch.rollback(r.fromGeneration(), Strategy.LOCAL);
                assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(20)));
                Thread.sleep(10);
            }
        } finally {
            running.set(false);
            for (Thread t : loops) {
                t.join();
            }
        }
        assertTrue(checker.units() > 1000, "units: " + checker.units());
        assertEquals(List.of(), checker.errors());
        assertEquals(List.of(), checker.mixed(), "no call stack saw two generations");
        assertFalse(LivePatch.status().classes().get(0).guard());
    }
}
