package io.livepatch4j.it.integrations;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Status;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.Consistency;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load half of every integration's IT: client threads send requests whose handlers call
 * Greeter.first and Greeter.second (answering "first+second") while Greeter's v2 is applied and rolled
 * back, again and again. Each response is one unit's view: two versions in one response is a mixed
 * unit. After each transition completes, a new request must see that transition's version.
 */
final class PatchFlips {

    private PatchFlips() {}

    /** The unit of work the calling thread is in, as status reports it; "none" outside one. */
    static String myUnit() {
        long id = Thread.currentThread().getId();
        return LivePatch.status().threadsInUnits().stream().filter(t -> t.id() == id)
            .map(Status.ThreadStatus::unitKind).findFirst().orElse("none");
    }

    /** Runs {@code clients} threads sending {@code request} through {@code cycles} apply/rollback pairs; asserts. */
    static Consistency run(int clients, int cycles, Callable<String> request) throws Exception {
        return run(clients, cycles, request, Duration.ofSeconds(10));
    }

    /** ... each transition completing within {@code settle} (10 s by default, then 10 s more). */
    static Consistency run(int clients, int cycles, Callable<String> request, Duration settle) throws Exception {
        Patch v2 = TestPatches.greeterV2();
        Consistency checker = new Consistency();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            // Plain threads: a client holds no unit of work that could hold a transition back.
            Thread t = new Thread(() -> {
                while (running.get()) {
                    try {
                        checker.unit(request.call().split("\\+"));
                    } catch (Throwable e) {
                        checker.error(e);
                        return;
                    }
                }
            }, "client-" + i);
            t.start();
            threads.add(t);
        }
        try {
            for (int i = 0; i < cycles; i++) {
                Thread.sleep(30);
                ApplyResult applied = LivePatch.apply(v2, Strategy.LOCAL);
                settled("apply", settle);
                String after = request.call();
                if (!after.equals("v2+v2")) {
                    checker.wrong("a request sent after the apply's transition completed answered " + after);
                }
                Thread.sleep(30);
                LivePatch.rollback(applied.fromGeneration(), Strategy.LOCAL);
                settled("rollback", settle);
                after = request.call();
                if (!after.equals("v1+v1")) {
                    checker.wrong("a request sent after the rollback's transition completed answered " + after);
                }
            }
        } finally {
            running.set(false);
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
        assertEquals(List.of(), checker.errors(), "no request failed");
        assertEquals(List.of(), checker.mixed(), "no request saw two generations");
        assertEquals(List.of(), checker.wrong(), "requests after a transition ran its version");
        assertTrue(checker.units() > 50 * cycles / 10, "enough requests ran: " + checker.units());
        // Nothing the load left behind holds a unit open: a transition with no load completes at once.
        LivePatch.apply(v2, Strategy.LOCAL);
        settled("apply after the load stopped", settle);
        return checker;
    }

    private static void settled(String what, Duration settle) throws InterruptedException {
        long t0 = System.nanoTime();
        boolean done = LivePatch.awaitTransition(settle);
        System.out.printf("PatchFlips: %s transition %.1f ms%n", what, (System.nanoTime() - t0) / 1e6);
        assertTrue(done || (settle.toSeconds() >= 10 && LivePatch.awaitTransition(settle)), "the " + what
            + " transition completes within " + settle.toMillis() + " ms: " + StatusJson.of(LivePatch.status()));
    }
}
