package io.livepatch4j.it.review27;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.r27.R27Entry;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.Consistency;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review 27, item 4 (DispatchSite builds a site's implicit unit lazily at its first call from outside
 * every unit, and a transition's sites share the "runs the target" test per site type): many threads
 * make the first outermost calls of twelve sites of the same type at once, during a transition, and
 * park between two calls of another class in transition; a rollback then supersedes the transition.
 * Each call stack must still be one unit of one generation (the second call may not run the
 * rollback's code). Then the same sites under repeated patching from plain threads.
 */
@ExtendWith(BackToLoadedCode.class)
class Review27ImplicitUnitIT {

    private static final int SITES = 12;
    private static final int PER_SITE = 3;
    private static final String PKG = "io.livepatch4j.it.review.app.r27.";

    private static Patch patch() {
        StringBuilder s = new StringBuilder("package io.livepatch4j.it.review.app.r27;\n"
            + "import io.livepatch4j.it.review27.R27Park;\npublic class R27Entry {\n"
            + " public static String hold() { R27Park.park(\"hold\"); return \"h2\"; }\n");
        for (int k = 0; k < SITES; k++) {
            s.append(" public static String e").append(k).append("(int x) { String a = R27Tag.tag(); R27Park.park(\"e")
                .append(k).append("\"); return a + \"/\" + R27Tag.tag(); }\n");
        }
        s.append("}\n");
        return TestPatches.build("r27-entry", Map.of(PKG + "R27Entry", s.toString(), PKG + "R27Tag",
            "package io.livepatch4j.it.review.app.r27;\npublic class R27Tag {\n public static String tag() { return \"t2\"; }\n}\n"));
    }

    private static String call(int site) {
        try {
            Method m = R27Entry.class.getMethod("e" + site, int.class);
            return (String) m.invoke(null, site);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void firstOutermostCallsRacingDuringATransitionSupersededByARollbackEachRunOneGeneration() throws Exception {
        // A plain thread parked in hold() (G0, changed by the patch) keeps the transition running.
        R27Park.arm("r27-holder", "hold");
        CompletableFuture<String> holder = new CompletableFuture<>();
        Thread h = new Thread(() -> holder.complete(R27Entry.hold()), "r27-holder");
        h.start();
        R27Park.awaitArrival("r27-holder", "hold");

        ApplyResult applied = LivePatch.apply(patch(), Strategy.LOCAL);
        assertEquals("running", LivePatch.status().transition().state());

        CyclicBarrier start = new CyclicBarrier(SITES * PER_SITE);
        List<CompletableFuture<String>> results = new ArrayList<>();
        List<String[]> parked = new ArrayList<>();
        for (int k = 0; k < SITES; k++) {
            for (int j = 0; j < PER_SITE; j++) {
                String name = "r27-e" + k + "-" + j;
                int site = k;
                R27Park.arm(name, "e" + k);
                parked.add(new String[] {name, "e" + k});
                CompletableFuture<String> r = new CompletableFuture<>();
                results.add(r);
                new Thread(() -> {
                    try {
                        start.await(30, TimeUnit.SECONDS);
                        r.complete(call(site));
                    } catch (Throwable e) {
                        r.completeExceptionally(e);
                    }
                }, name).start();
            }
        }
        for (String[] p : parked) {
            R27Park.awaitArrival(p[0], p[1]);
        }
        // A rollback supersedes the transition while every one of them is between its two calls.
        LivePatch.rollback(applied.fromGeneration(), Strategy.LOCAL);
        Thread.sleep(200);
        for (String[] p : parked) {
            R27Park.release(p[0], p[1]);
        }
        List<String> seen = new ArrayList<>();
        for (CompletableFuture<String> r : results) {
            seen.add(r.get(30, TimeUnit.SECONDS));
        }
        List<String> mixed = seen.stream().filter(v -> !v.equals("t1/t1") && !v.equals("t2/t2")).toList();
        assertEquals(List.of(), mixed, "each outermost call ran one generation; all: " + seen);
        R27Park.release("r27-holder", "hold");
        assertEquals("h1", holder.get(30, TimeUnit.SECONDS));
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("t1/t1", call(0));
    }

    @Test
    void outermostCallsOfManySitesUnderRepeatedPatchingNeverMix() throws Exception {
        Consistency checker = new Consistency();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> loops = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    try {
                        checker.unit(call(ThreadLocalRandom.current().nextInt(SITES)).split("/"));
                    } catch (Throwable e) {
                        checker.error(e);
                    }
                }
            }, "r27-loop-" + i);
            t.start();
            loops.add(t);
        }
        Patch p = patch();
        try {
            for (int i = 0; i < 8; i++) {
                ApplyResult r = LivePatch.apply(p, Strategy.LOCAL);
                Thread.sleep(5);
                if (i % 2 == 0) {
                    // superseded while it may still run
                    LivePatch.rollback(r.fromGeneration(), Strategy.LOCAL);
                    assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(20)));
                } else {
                    assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(20)));
                    LivePatch.rollback(r.fromGeneration(), Strategy.LOCAL);
                    assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(20)));
                }
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
    }
}
