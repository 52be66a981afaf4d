package io.livepatch4j.agent.tooling;

import java.util.List;
import java.util.Map;

/**
 * What an apply or rollback did.
 *
 * @param generation     the new generation
 * @param fromGeneration the generation that was current before
 * @param patchId        the patch's id; null for a rollback
 * @param classes        the classes whose code differs between the two
 * @param complete       whether the transition had already completed when the call returned
 *                       (always for global and redefine; for local, when no thread was behind)
 * @param patches        the ids of the patches the new generation includes, oldest first
 * @param leftOut        classes of the patch it left out, each with why: no code of this JVM can run
 *                       them (they cannot load or link here, as loaded or patched)
 * @param phaseMillis    an apply's steps in the agent and how long each took, in order (ApplyPhases);
 *                       empty for a rollback
 * @param agentMillis    the agent's whole time for a request that lp4j sent, reading the patch included
 *                       (the control channel measures it); -1 where nothing measured it
 */
public record ApplyResult(long generation, long fromGeneration, String patchId, Strategy strategy,
                          List<String> classes, boolean complete, List<String> patches, List<String> leftOut,
                          Map<String, Double> phaseMillis, double agentMillis) {

    public ApplyResult {
        leftOut = List.copyOf(leftOut);
        phaseMillis = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(phaseMillis));
    }

    ApplyResult(long generation, long fromGeneration, String patchId, Strategy strategy, List<String> classes,
                boolean complete, List<String> patches) {
        this(generation, fromGeneration, patchId, strategy, classes, complete, patches, List.of(), Map.of(), -1);
    }

    ApplyResult withLeftOut(List<String> classes) {
        return new ApplyResult(generation, fromGeneration, patchId, strategy, this.classes, complete, patches, classes,
            phaseMillis, agentMillis);
    }

    ApplyResult withPhases(Map<String, Double> phases) {
        return new ApplyResult(generation, fromGeneration, patchId, strategy, classes, complete, patches, leftOut, phases,
            agentMillis);
    }

    ApplyResult withAgentMillis(double millis) {
        return new ApplyResult(generation, fromGeneration, patchId, strategy, classes, complete, patches, leftOut,
            phaseMillis, millis);
    }
}
