package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.Generations;
import io.livepatch4j.agent.tooling.events.PatchEvents;
import io.livepatch4j.patch.PatchException;

/**
 * Records each apply and rollback that {@link LivePatch} runs (so every way in: the Java API, the
 * MXBean, lp4j) as a JFR Apply span from the call to its return, or, if it was refused, as a
 * PatchRefused event with the reason. An apply or rollback with nothing to do ({@link Unchanged}) is
 * neither. With JFR off this is two small allocations per apply.
 */
final class ApplyEvents {

    private ApplyEvents() {}

    /** An apply or rollback; it refuses by throwing. */
    interface Change {
        ApplyResult run() throws PatchException;
    }

    /** @param change "patch ID", "patch from FILE" or "rollback to Gn", as the events name it */
    static ApplyResult record(String change, Strategy strategy, Change c) throws PatchException {
        PatchEvents.Apply span = new PatchEvents.Apply();
        PatchEvents.PatchRefused refused = new PatchEvents.PatchRefused();
        span.begin();
        refused.begin();
        ApplyResult r;
        try {
            r = c.run();
        } catch (Unchanged e) {
            throw e; // nothing to do (the patch is live, no patch to undo): not a refusal, and nothing changed
        } catch (PatchException | RuntimeException e) {
            refused.end();
            if (refused.shouldCommit()) {
                refused.change = change;
                refused.strategy = strategy.word();
                refused.currentGeneration = Generations.current().number();
                refused.reason = e instanceof PatchException ? e.getMessage() : "failed: " + e;
                refused.commit();
            }
            throw e;
        }
        span.end();
        if (span.shouldCommit()) {
            span.patchId = r.patchId() == null ? "" : r.patchId();
            span.change = r.patchId() == null ? change : "patch " + r.patchId();
            span.generation = r.generation();
            span.fromGeneration = r.fromGeneration();
            span.strategy = r.strategy().word();
            span.classes = r.classes().size();
            span.includes = String.join(",", r.patches());
            span.commit();
        }
        return r;
    }
}
