package io.livepatch4j.it.review28;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.it.support.GenBuild;
import io.livepatch4j.patch.build.PatchBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Change 1: a parallel-capable child-first loader that takes no lock in loadClass. Loading the
 * patch's deferred Sub (which loads Super) and Super on two threads at once defines Super twice: the
 * second definition throws LinkageError ("attempted duplicate class definition"), which loadDeferred
 * reads as "cannot be loaded here" and leaves the class out of the patch, though it is loaded and runs.
 */
class Review28UnlockedLoaderIT {

    private static final String P = "io.livepatch4j.it.gen.r28race";

    @Test
    void aRaceOfTheApplysOwnThreadsDoesNotLeaveAClassThatRunsOutOfThePatch() throws Exception {
        GenBuild v1 = R28Pair.build(P, 1);
        GenBuild v2 = R28Pair.build(P, 2);
        PatchBuilder.Report fix = GenBuild.patch("r28-unlocked", v1, v2);
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        R28Support.ParallelUnlockedLoader loader = new R28Support.ParallelUnlockedLoader("unlocked", v1.classes, P,
            getClass().getClassLoader());
        loader.slow.add(P + ".Super");
        assertEquals("Loaded v1", R28Pair.call(loader, P + ".Loaded"));

        CompletableFuture<ApplyResult> apply = R28Support.applySharing(fix.patch(), "r28-lp4j-request");
        ApplyResult applied = R28Support.await(apply, 30);
        if (applied == null) {
            fail("the apply did not return within 30 s\n" + R28Support.deadlocks());
        }
        System.out.println("r28: threads that defined the classes: " + R28Support.DEFINED_BY + "; patch order: " + fix.patch().classes().stream().map(c -> c.name().substring(c.name().lastIndexOf('.') + 1)).toList() + "; left out: " + applied.leftOut());
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes");
        String sub = R28Pair.call(loader, P + ".Sub");
        String sup = R28Pair.call(loader, P + ".Super");
        assertEquals(List.of(), applied.leftOut(), "no class of the patch is left out (each can load here); "
            + "after the apply Sub answers '" + sub + "' and Super '" + sup + "'");
        assertEquals("Sub v2", sub);
        assertEquals("Super v2", sup);
    }
}
