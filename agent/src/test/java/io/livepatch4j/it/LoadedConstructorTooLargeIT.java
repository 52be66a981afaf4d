package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.BuildLoader;
import io.livepatch4j.it.support.GenBuild;
import io.livepatch4j.it.support.HugeConstructor;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.build.PatchBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A loaded class whose constructor cannot hold the patch's new this(...) call beside its own (two
 * copies of a 34 KB array initializer exceed the JVM's 64 KB of code per method). The class is
 * retransformed to get the variant; the prologue writer cannot write it, and the transformer must
 * then keep the code the class has: giving the JVM nothing back makes it take the class file as
 * loaded, without its prologue, and the patch reported applied while the class ran its old code.
 * The patch is refused instead, and the class goes on as loaded and stays patchable.
 */
class LoadedConstructorTooLargeIT {

    private static final String P = "io.livepatch4j.it.gen.hugeloaded";
    private static GenBuild build(boolean v2, boolean bodyOnly) {
        return GenBuild.compile(HugeConstructor.sources(P, v2, !bodyOnly));
    }

    @Test
    @Timeout(120)
    void aVariantThatDoesNotFitRefusesThePatchAndTheClassKeepsItsPrologue() throws Exception {
        GenBuild v1 = build(false, false);
        PatchBuilder.Report fix = GenBuild.patch("huge-loaded", v1, build(true, false));
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        PatchBuilder.Report bodyOnly = GenBuild.patch("huge-loaded-body", v1, build(true, true));
        assertNotNull(bodyOnly.patch(), "the builder makes the body-only patch: " + bodyOnly.refusals());
        long start = LivePatch.currentGeneration();
        try (BuildLoader loader = new BuildLoader(v1)) {
            assertEquals("5 v1", BuildLoader.supplied(loader, P + ".Thing"), "loaded and run before the patch");
            PatchException refused = assertThrows(PatchException.class, () -> LivePatch.apply(fix.patch(), Strategy.LOCAL),
                "the new this(...) call cannot be written into the constructor: the patch is refused");
            assertTrue(refused.getMessage().contains("does not fit"), refused.getMessage());
            assertEquals(start, LivePatch.currentGeneration(), "nothing was applied");
            assertEquals("5 v1", BuildLoader.supplied(loader, P + ".Thing"), "the class runs as loaded");
            // Still prepared: a patch that changes only get() applies, and its code runs.
            LivePatch.apply(bodyOnly.patch(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes");
            assertEquals("5 v2", BuildLoader.supplied(loader, P + ".Thing"),
                "the class kept its prologue through the refused patch's retransformation");
        } finally {
            if (LivePatch.currentGeneration() != start) {
                LivePatch.rollback(start, Strategy.LOCAL);
                LivePatch.awaitTransition(Duration.ofSeconds(10));
            }
        }
    }
}
