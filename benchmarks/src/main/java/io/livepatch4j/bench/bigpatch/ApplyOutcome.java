package io.livepatch4j.bench.bigpatch;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What one {@code lp4j apply|rollback|status --json} said, read in this one place so that a change
 * of its output is one edit: the exit code, whether the transition completed, the transition's own
 * time ({@code transition.elapsedMillis}), the error message of a refusal, and, when lp4j prints a
 * {@code timings} object (lp4j's start, attach, agent load, the agent's apply, the transition, the
 * total), every number in it. Without {@code timings}, only the wall time measured outside is known.
 */
record ApplyOutcome(int exit, boolean complete, int generation, OptionalDouble transitionElapsedMillis,
                    Map<String, Double> timings, String error) {

    /** The names {@code timings} may give the agent's own apply time and the transition's, first found wins. */
    static final String[] AGENT_APPLY = {"agentMillis", "agent_apply_ms", "agentApplyMillis"};
    static final String[] TRANSITION = {"transition_ms", "transitionMillis"};

    static ApplyOutcome parse(Lp4jCli.Run run) {
        Map<String, Double> timings = new LinkedHashMap<>();
        String error = run.exit() == 0 ? "" : run.firstErrorLine();
        boolean complete = false;
        int generation = -1;
        OptionalDouble elapsed = OptionalDouble.empty();
        JsonObject o = null;
        try {
            JsonElement e = JsonParser.parseString(run.stdout().strip());
            o = e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (RuntimeException notJson) {
            // lp4j printed no JSON (it failed before it could): the exit code and stderr say what happened
        }
        if (o != null) {
            complete = o.has("complete") && o.get("complete").getAsBoolean();
            generation = o.has("generation") ? o.get("generation").getAsInt() : -1;
            if (o.has("transition") && o.getAsJsonObject("transition").has("elapsedMillis")) {
                elapsed = OptionalDouble.of(o.getAsJsonObject("transition").get("elapsedMillis").getAsDouble());
            }
            if (o.has("timings") && o.get("timings").isJsonObject()) {
                numbers("", o.getAsJsonObject("timings"), timings);
            }
            if (o.has("error") && o.getAsJsonObject("error").has("message")) {
                error = o.getAsJsonObject("error").get("message").getAsString();
            }
        }
        return new ApplyOutcome(run.exit(), complete, generation, elapsed, Map.copyOf(timings), error);
    }

    /** Every number of {@code o} into {@code into}, a nested object's as "name.inner" (the agent's steps). */
    private static void numbers(String prefix, com.google.gson.JsonObject o, Map<String, Double> into) {
        for (Map.Entry<String, JsonElement> t : o.entrySet()) {
            if (t.getValue().isJsonPrimitive() && t.getValue().getAsJsonPrimitive().isNumber()) {
                into.put(prefix + t.getKey(), t.getValue().getAsDouble());
            } else if (t.getValue().isJsonObject()) {
                numbers(prefix + t.getKey() + ".", t.getValue().getAsJsonObject(), into);
            }
        }
    }

    /** The agent's own apply time, from {@code timings}; empty when lp4j does not report it. */
    OptionalDouble agentApplyMillis() {
        return first(AGENT_APPLY);
    }

    /**
     * Of the agent's apply time, the patch's own code (its static initializers, pre-apply callbacks and
     * state transformers: the agent's "patch code" step); empty from an agent that does not report it.
     */
    OptionalDouble patchCodeMillis() {
        Double v = timings.get("agentPhases.patch code");
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** The transition's time: {@code timings}' if present, else {@code transition.elapsedMillis}. */
    OptionalDouble transitionMillis() {
        OptionalDouble t = first(TRANSITION);
        return t.isPresent() ? t : transitionElapsedMillis;
    }

    /** {@code timings} as "name=value;..." for the CSV (empty when lp4j printed none). */
    String timingsText() {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(timings).forEach((k, v) -> b.append(b.length() == 0 ? "" : ";").append(k).append('=')
            .append(String.format(java.util.Locale.ROOT, "%.1f", v)));
        return b.toString();
    }

    private OptionalDouble first(String[] names) {
        for (String n : names) {
            Double v = timings.get(n);
            if (v != null) {
                return OptionalDouble.of(v);
            }
        }
        return OptionalDouble.empty();
    }
}
