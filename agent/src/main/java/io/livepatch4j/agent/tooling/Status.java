package io.livepatch4j.agent.tooling;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of this JVM's patch state: each generation and its state, the transition in progress
 * (threads moved and remaining, stragglers with their stacks), the patched classes, and which unit
 * of work each busy thread is in. Rendered as JSON by {@link StatusJson}.
 */
public record Status(String agentVersion, String mode, Trust trust, long currentGeneration, List<GenerationStatus> generations,
                     TransitionStatus transition, List<ClassStatus> classes, List<ThreadStatus> threadsInUnits) {

    /**
     * Which patches the agent accepts: with trusted keys (agent option trustedKeys), only patches
     * signed by one of them, else any patch its user hands it.
     *
     * @param keys the trusted keys' ids (as 'lp4j inspect' shows a signature's key)
     */
    public record Trust(boolean signedOnly, List<String> keys) {
    }

    /**
     * @param state   current, transition, live, retired or aborted
     * @param patches the ids of the patches whose code the generation runs, oldest first (none for G0)
     * @param states  the state versions those patches set up, by state id
     * @param transitionMillis how long its transition took; null (left out of the JSON) while it runs,
     *                         for G0, and for a generation that never became current
     */
    public record GenerationStatus(long number, String label, String patchId, String state, String strategy,
                                   String createdAt, List<String> classes, Double transitionMillis,
                                   List<String> patches, Map<String, Integer> states) {
    }

    /**
     * @param state         running, complete, superseded (reversed by a rollback) or aborted
     * @param threadsToMove threads inside units of work of older code when the transition began
     * @param threadsMoved  threads that have left a unit of work of older code since (including any
     *                      that entered one after the transition began, so it can exceed threadsToMove)
     */
    public record TransitionStatus(long fromGeneration, long toGeneration, String strategy, String state,
                                   double elapsedMillis, int threadsToMove, int threadsMoved, int threadsRemaining,
                                   List<ThreadStatus> remaining) {
    }

    /**
     * A thread inside a unit of work.
     *
     * @param straggler whether it has stayed in a unit of an older generation longer than the
     *                  agent's stragglerMillis; only stragglers carry a stack (taking one is a
     *                  safepoint on JDK 17 and 25)
     * @param inUnitMillis how long it has been in its unit; for a thread held by the general rule
     *                  (an application call) and for one outside every unit, the time since the
     *                  transition began, a lower bound: the agent does not see when the call began
     * @param lingering whether it is inside a frame of a class in transition that it entered before
     *                  the transition began
     */
    public record ThreadStatus(String name, long id, String unitKind, long generation, double inUnitMillis,
                               boolean straggler, boolean lingering, List<String> stack) {
    }

    /** @param dispatch unpatched, selecting (per thread, during a transition) or direct */
    public record ClassStatus(String name, int version, String sha256, String dispatch, boolean guard) {
    }
}
