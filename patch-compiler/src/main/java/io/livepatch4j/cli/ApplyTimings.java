package io.livepatch4j.cli;

import com.google.gson.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where the wall time of one lp4j apply went, part by part, measured as it runs: lp4j's own start
 * (from its process's start to the command), reading the patch, reaching the agent (attaching and
 * loading it when lp4j does), the apply (its round trip, and the agent's own time within it), and
 * the wait for the transition. --json gives them as "timings"; the text output ends with them.
 */
final class ApplyTimings {

    private final Map<String, Double> parts = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();
    private long markNanos = startNanos;
    private final double startupMillis;
    private double agentMillis = -1;
    /** The agent's steps and their times (its answer's "phaseMillis"), or null from an older agent. */
    private JsonObject agentPhases;
    private boolean agentLoaded;

    ApplyTimings() {
        // The kernel's start time has clock-tick (10 ms) resolution; unknown on some systems.
        startupMillis = ProcessHandle.current().info().startInstant()
            .map(t -> (double) Duration.between(t, Instant.now()).toMillis()).orElse(-1.0);
    }

    /** Ends the part {@code name}, which began where the last one ended. */
    void lap(String name) {
        long now = System.nanoTime();
        parts.put(name, (now - markNanos) / 1e6);
        markNanos = now;
    }

    /** The agent's own time for the apply, from its answer ("agentMillis"; absent from an older agent). */
    void agent(JsonObject answer) {
        if (answer.has("agentMillis")) {
            agentMillis = answer.get("agentMillis").getAsDouble();
        }
        if (answer.has("phaseMillis") && answer.get("phaseMillis").isJsonObject()) {
            agentPhases = answer.getAsJsonObject("phaseMillis");
        }
    }

    void agentLoaded(boolean loaded) {
        agentLoaded = loaded;
    }

    JsonObject json() {
        JsonObject o = new JsonObject();
        o.addProperty("lp4jStartMillis", round(startupMillis));
        parts.forEach((name, ms) -> o.addProperty(name + "Millis", round(ms)));
        o.addProperty("agentMillis", round(agentMillis));
        if (agentPhases != null) {
            o.add("agentPhases", agentPhases);
        }
        o.addProperty("agentLoaded", agentLoaded);
        o.addProperty("totalMillis", round(total()));
        return o;
    }

    /** One line for the text output. */
    String line() {
        StringBuilder s = new StringBuilder("time: " + seconds(total()) + " in all: lp4j's start " + seconds(startupMillis));
        parts.forEach((name, ms) -> {
            s.append(", ").append(words(name)).append(' ').append(seconds(ms));
            if (name.equals("apply") && agentMillis >= 0) {
                s.append(" (in the agent ").append(seconds(agentMillis)).append(')');
            }
        });
        return s.toString();
    }

    private double total() {
        return Math.max(0, startupMillis) + (System.nanoTime() - startNanos) / 1e6;
    }

    private String words(String name) {
        return switch (name) {
            case "read" -> "reading the patch";
            case "connect" -> agentLoaded ? "attaching and loading the agent" : "reaching the agent";
            case "apply" -> "the apply";
            case "wait" -> "waiting for the transition";
            default -> name;
        };
    }

    private static double round(double ms) {
        return ms < 0 ? -1 : Math.round(ms * 10) / 10.0;
    }

    private static String seconds(double ms) {
        return ms < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }
}
