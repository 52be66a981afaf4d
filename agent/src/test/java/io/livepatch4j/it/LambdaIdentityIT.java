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

    static void awaitCleared(WeakReference<?> ref) throws InterruptedException {
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(50);
        }
    }
}
