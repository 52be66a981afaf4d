package io.livepatch4j.bench.latency;

/**
 * One thing done to the server during the measured period: an apply or rollback and its
 * transition, a restart, a checkpoint and restore. Times are {@code System.nanoTime()}, the clock
 * of the load's samples and of HotSpot's safepoint log.
 *
 * @param startNanos     when the harness began it
 * @param returnedNanos  when the call returned (the apply or rollback answered; the old JVM had exited; the
 *                       checkpoint ended)
 * @param endNanos       when it was over: the transition complete, the new JVM ready, the restored JVM
 *                       running
 * @param generation     the generation an apply or rollback created, or -1
 * @param agentMillis    the agent's own measure of the transition (status:
 *                       generations[].transitionMillis), or NaN
 * @param note           why it failed, or what the native tool measured
 */
record Disruption(String kind, Outcome outcome, long startNanos, long returnedNanos, long endNanos,
                  long generation, double agentMillis, String note) {

    enum Outcome {
        /** done: the transition completed (or the restart or restore is serving) */
        DONE,
        /** the call returned but the transition did not complete before the next one was due */
        INCOMPLETE,
        /** global: quiescence not reached within globalTimeoutMillis; nothing was switched */
        TIMED_OUT,
        /** refused or failed for another reason (the note says) */
        FAILED
    }

    static final String APPLY = "apply";
    static final String ROLLBACK = "rollback";
    static final String RESTART = "restart";
    static final String CHECKPOINT_RESTORE = "checkpoint+restore";

    double wallMillis() {
        return (endNanos - startNanos) / 1e6;
    }

    double callMillis() {
        return (returnedNanos - startNanos) / 1e6;
    }

    boolean patch() {
        return kind.equals(APPLY) || kind.equals(ROLLBACK);
    }

    Disruption withAgentMillis(double millis) {
        return new Disruption(kind, outcome, startNanos, returnedNanos, endNanos, generation, millis, note);
    }
}
