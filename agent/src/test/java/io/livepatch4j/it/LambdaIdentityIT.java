package io.livepatch4j.it;

import io.livepatch4j.agent.bootstrap.Generations;
import io.livepatch4j.agent.bootstrap.PatchableClass;
import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Hooks;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lambda object runs the body of its own lambda, identified by its creation site: javac's
 * renumbering does not hand it another lambda's body, each unit of work runs its own generation's
 * body of it, and where that generation has none, the body of the version that created it.
 */
@ExtendWith(BackToLoadedCode.class)
class LambdaIdentityIT {

    private static final String HOOKS = "io.livepatch4j.it.app.Hooks";
    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private static Patch v2(String tag) {
        return TestPatches.build("hooks-" + tag, Map.of(HOOKS, TestPatches.source("Hooks.java").replace("tag1:", tag + ":")));
    }

    private static void settle() throws InterruptedException {
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completed");
    }

    /** Runs {@code s.get()} as a unit of work on the pool. */
    private String inUnit(Supplier<String> s) throws Exception {
        return pool.submit(s::get).get();
    }

    @Test
    void lambdaCreatedByOldCodeKeepsItsOwnBodyAfterRenumbering() throws Exception {
        Supplier<String> madeByG0 = Hooks.install();
        assertEquals("installed", inUnit(madeByG0));

        LivePatch.apply(v2("tag1"), Strategy.LOCAL);
        settle();
        assertEquals("installed", inUnit(madeByG0),
            "v2 numbers a new lambda lambda$install$0; the object made by G0 still runs its own body");
        assertEquals("installed", inUnit(pool.submit(Hooks::install).get()), "new code makes the same lambda");
        assertEquals("<a>,<b>", pool.submit(() -> new Hooks("h").render(List.of(" a", "b "))).get());
    }

    @Test
    void lambdaWhoseBodyAPatchAddedRunsTheCallingGenerationsBodyAndElseItsCreatorsBody() throws Exception {
        Hooks h = new Hooks("h");
        Patch p1 = v2("tag1");
        ApplyResult g1 = LivePatch.apply(p1, Strategy.LOCAL);
        settle();
        Supplier<String> madeByG1 = pool.submit(h::tagger).get();
        assertEquals("tag1:h", inUnit(madeByG1));
        PatchableClass pc = PatchableClass.of(Hooks.class);
        WeakReference<Class<?>> g1Code = new WeakReference<>(Generations.current().version(pc.index()).implClass());

        Patch p2 = TestPatches.buildOn(p1, "hooks-tag2",
            Map.of(HOOKS, TestPatches.source("Hooks.java").replace("tag1:", "tag2:")));
        ApplyResult g2 = LivePatch.apply(p2, Strategy.LOCAL);
        settle();
        assertEquals("tag2:h", inUnit(madeByG1), "a unit of G2 runs G2's body of the lambda, whoever made it");
        Supplier<String> madeByG2 = pool.submit(h::tagger).get();
        WeakReference<Class<?>> g2Code = new WeakReference<>(Generations.current().version(pc.index()).implClass());
        assertNotNull(g2Code.get());

        LivePatch.rollback(g1.generation(), Strategy.LOCAL);
        settle();
        assertEquals("tag1:h", inUnit(madeByG2), "a unit of the rollback to G1 runs G1's body, not the retired G2's");

        LivePatch.rollback(0, Strategy.LOCAL);
        settle();
        assertEquals("untagged", inUnit(pool.submit(h::tagger).get()), "G0 code makes G0's lambda");
        assertEquals("tag1:h", inUnit(madeByG1), "G0 has no body for it: the object runs its creator's (G1's)");
        assertEquals("tag2:h", inUnit(madeByG2), "and this one its creator's (G2's)");

        madeByG2 = null;
        awaitCleared(g2Code);
        assertNull(g2Code.get(), "G2's implementation class is unloaded once no object it made is left");
        assertNotNull(g1Code.get(), "G1's is still reachable: an object it made is alive");
        assertEquals("tag1:h", inUnit(madeByG1));
        madeByG1 = null;
        awaitCleared(g1Code);
        assertNull(g1Code.get(), "G1's implementation class is unloaded once no object it made is left");
        assertEquals(g2.generation(), g1.generation() + 1);
    }

    @Test
    void aLambdaAddedAfterAnotherWasRemovedNeverTakesItsNameFromObjectsOfTheRemovedOne() throws Exception {
        // P1 adds x, P2 removes it, P3 adds y at the same kind of site. Each patch pairs against the one
        // that runs, where x's name is free again after P2; the objects P1 made must not run y.
        Hooks h = new Hooks("h");
        String v2 = TestPatches.source("Hooks.java");
        Patch p1 = TestPatches.build("hooks-x", Map.of(HOOKS, v2.replace("tag1:", "x:")));
        LivePatch.apply(p1, Strategy.LOCAL);
        settle();
        Supplier<String> madeByP1 = pool.submit(h::tagger).get();
        assertEquals("x:h", inUnit(madeByP1));
        Patch p2 = TestPatches.buildOn(p1, "hooks-no-x", Map.of(HOOKS, v2.replace("() -> \"tag1:\" + name", "untagged")));
        LivePatch.apply(p2, Strategy.LOCAL);
        settle();
        assertEquals("x:h", inUnit(madeByP1), "P2 removed x: the object runs its creator's body");
        Patch p3 = TestPatches.buildOn(p2, "hooks-y", Map.of(HOOKS, v2.replace("tag1:", "y:")));
        LivePatch.apply(p3, Strategy.LOCAL);
        settle();
        assertEquals("y:h", inUnit(pool.submit(h::tagger).get()), "P3's code makes y");
        assertEquals("x:h", inUnit(madeByP1), "y is another lambda than x: P1's object still runs x");
    }

    static void awaitCleared(WeakReference<?> ref) throws InterruptedException {
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(50);
        }
    }
}
