package io.livepatch4j.it.support;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;

import java.time.Duration;

/**
 * A patch applied (or refused), then rolled back to the generation it started from: what it did
 * ({@code outcome}) and what a new object of a {@code Supplier<String>} class gives then
 * ({@code supplied}, or "FAILED: " and the exception's causes). For the tests that a class the patch
 * touched still works as loaded afterwards, however the patch went.
 */
public record BackToStart(String outcome, String supplied) {

    public static BackToStart run(Patch patch, ClassLoader loader, String supplierClass) throws Exception {
        long start = LivePatch.currentGeneration();
        String outcome;
        try {
            ApplyResult applied = LivePatch.apply(patch, Strategy.LOCAL);
            LivePatch.awaitTransition(Duration.ofSeconds(10));
            outcome = "applied, left out " + applied.leftOut();
        } catch (PatchException e) {
            outcome = "refused: " + e.getMessage();
        }
        if (LivePatch.currentGeneration() != start) {
            LivePatch.rollback(start, Strategy.LOCAL);
            if (!LivePatch.awaitTransition(Duration.ofSeconds(10))) {
                throw new AssertionError("the rollback to G" + start + " did not complete");
            }
            outcome += ", rolled back";
        }
        return new BackToStart(outcome, BuildLoader.suppliedOrFailure(loader, supplierClass));
    }
}
