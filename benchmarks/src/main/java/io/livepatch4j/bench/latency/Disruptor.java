package io.livepatch4j.bench.latency;

import java.util.List;

/** What a scenario does to the server while the load runs, between two {@code System.nanoTime()} instants. */
interface Disruptor {

    /** Runs until {@code untilNanos} (an operation started before it may end a little later). */
    List<Disruption> run(long fromNanos, long untilNanos) throws Exception;

    /**
     * During the warm-up, at {@code atNanos}: anything done once so that the measured period shows
     * the steady state (the patch scenarios apply and roll back once: the first apply in a JVM loads
     * and runs cold code, see docs/results/latency.md). Returns what it did, reported apart.
     */
    default List<Disruption> warmUp(long atNanos) throws Exception {
        return List.of();
    }

    /**
     * After the load stopped, before the server stops: completes the record (e.g. the agent's own figures).
     */
    default List<Disruption> finish(List<Disruption> done) throws Exception {
        return done;
    }

    Disruptor NONE = (from, until) -> {
        Pause.until(until);
        return List.of();
    };
}
