package io.livepatch4j.bench.prepared;

/**
 * One library-heavy workload that {@link WorkloadMain} runs in a JVM of its own: a deterministic
 * operation of real work, repeated. Implementations live in {@code bench.prepared.workload}, the
 * package the agent prepares beside the library's (this interface and the runner stay unprepared).
 */
public interface Workload {

    /**
     * Does operation {@code i} and returns a value computed from all of its results, so the JIT can
     * drop none of the work; the same {@code i} gives the same value in every JVM, agent or not.
     */
    long op(long i);
}
