package io.livepatch4j.agent.tooling;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long each step of one apply took in the agent, in the order they ran: what lp4j apply
 * reports as the agent's part (ApplyResult.phaseMillis), and what a big patch's cost is broken down
 * by. Used by the one thread that runs the apply, under the patch lock.
 */
final class ApplyPhases {

    private final Map<String, Double> millis = new LinkedHashMap<>();
    private long mark = System.nanoTime();

    /** Ends the step {@code name}, which began where the last one ended (a step run twice adds up). */
    void lap(String name) {
        long now = System.nanoTime();
        millis.merge(name, Math.round((now - mark) / 1e4) / 100.0, Double::sum);
        mark = now;
    }

    Map<String, Double> millis() {
        return millis;
    }
}
