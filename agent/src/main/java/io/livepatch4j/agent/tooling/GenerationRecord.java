package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.Generation;

import java.time.Instant;
import java.util.List;

/** One generation's entry in this JVM's history. State changes are written under {@link Lifecycle#lock}. */
final class GenerationRecord {

    /** current: units of work that start now run it; transition: current, threads still moving to it;
     *  live: older, threads may still run it; retired: no thread can run it; aborted: never took effect. */
    enum State { CURRENT, TRANSITION, LIVE, RETIRED, ABORTED }

    final Generation generation;
    final String label;
    final String patchId;
    final Strategy strategy;
    final Instant createdAt;
    final List<String> classes;
    /** The patches whose code it runs and the states they set up. */
    final Includes includes;
    volatile State state = State.TRANSITION;
    volatile long transitionNanos = -1;

    GenerationRecord(Generation generation, String label, String patchId, Strategy strategy, Instant createdAt,
                     List<String> classes, Includes includes) {
        this.generation = generation;
        this.label = label;
        this.patchId = patchId;
        this.strategy = strategy;
        this.createdAt = createdAt;
        this.classes = List.copyOf(classes);
        this.includes = includes;
    }
}
