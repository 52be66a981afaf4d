package io.livepatch4j.bench.latency;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The patch operations (or the restart, or the checkpoint and restore) of one run, summed up: how
 * many were tried, how many completed, how many the global strategy gave up on, and how long the
 * completed ones took. The time is the agent's own measure of the transition where it has one
 * (local and global: from the apply until the last thread's quiescence point, or until the
 * barrier's switch); for redefine, whose transition is the redefineClasses call itself, and for
 * restart and criu it is the harness's wall time of the operation.
 */
record Transitions(int attempted, int done, int timedOut, int incomplete, int failed, double medianMillis,
                   double maxMillis) {

    static Transitions of(List<Disruption> events) {
        int done = 0;
        int timedOut = 0;
        int incomplete = 0;
        int failed = 0;
        List<Double> millis = new ArrayList<>();
        for (Disruption d : events) {
            switch (d.outcome()) {
                case DONE -> {
                    done++;
                    millis.add(Double.isNaN(d.agentMillis()) || d.agentMillis() <= 0
                            ? d.wallMillis() : d.agentMillis());
                }
                case TIMED_OUT -> timedOut++;
                case INCOMPLETE -> incomplete++;
                case FAILED -> failed++;
            }
        }
        return new Transitions(events.size(), done, timedOut, incomplete, failed, median(millis),
            millis.isEmpty() ? Double.NaN : Collections.max(millis));
    }

    /** The middle value (the mean of the two middle ones for an even count); NaN for none. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
