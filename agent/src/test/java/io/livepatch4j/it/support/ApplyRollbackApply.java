package io.livepatch4j.it.support;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A patch of a generated build's class {@code P.Thing} (a {@code Supplier<String>}), checked through
 * what a new Thing supplies: applied, rolled back and applied again, each generation building its
 * objects with its own code ({@code v1}, {@code v2}); or refused with a PatchException, no generation
 * made and the class working as loaded. The build's {@code P.Anchor} is loaded first, so that the
 * loader has defined a class of the package; {@code loadFirst}: Thing too (else no code has loaded it).
 */
public final class ApplyRollbackApply {

    private ApplyRollbackApply() {}

    public static void check(String id, Patch patch, GenBuild before, String p, String v1, String v2, boolean loadFirst)
        throws Exception {
        String thing = p + ".Thing";
        long start = LivePatch.currentGeneration();
        try (BuildLoader loader = new BuildLoader(before)) {
            loader.loadClass(p + ".Anchor");
            if (loadFirst) {
                assertEquals(v1, BuildLoader.suppliedOrFailure(loader, thing), "before the apply");
            } else {
                assertTrue(!loader.loaded(thing), "no code has loaded the class the patch changes");
            }
            try {
                LivePatch.apply(patch, Strategy.LOCAL);
            } catch (PatchException | RuntimeException e) {
                System.out.println("[" + id + "] refused at apply: " + e);
                assertEquals(start, LivePatch.currentGeneration(), "refused: no generation made");
                assertEquals(v1, BuildLoader.suppliedOrFailure(loader, thing), "refused (" + e + "), the class works as loaded");
                assertTrue(e instanceof PatchException, "refused cleanly, with a PatchException: " + e);
                return;
            }
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes");
            String applied = BuildLoader.suppliedOrFailure(loader, thing);
            LivePatch.rollback(start, Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the rollback completes");
            String rolledBack = BuildLoader.suppliedOrFailure(loader, thing);
            LivePatch.apply(patch, Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the second apply completes");
            String again = BuildLoader.suppliedOrFailure(loader, thing);
            assertEquals(v2 + " / " + v1 + " / " + v2, applied + " / " + rolledBack + " / " + again,
                "applied, rolled back, applied again");
        } finally {
            if (LivePatch.currentGeneration() != start) {
                LivePatch.rollback(start, Strategy.LOCAL);
                LivePatch.awaitTransition(Duration.ofSeconds(10));
            }
        }
    }
}
