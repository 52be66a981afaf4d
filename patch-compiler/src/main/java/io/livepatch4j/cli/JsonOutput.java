package io.livepatch4j.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.PrintWriter;

/**
 * --json: one JSON object on standard output, the schema in docs/cli.md. Fields are added over time,
 * never renamed or given another meaning ("format" changes if that ever has to happen); a value
 * that does not exist is left out, never a sentinel such as -1.
 */
final class JsonOutput {

    /** The format of every lp4j --json object but build's and inspect's, which have their own. */
    static final int FORMAT = 1;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private JsonOutput() {}

    /** A new object of {@code command}'s output: {"format": 1, "command": ...}. */
    static JsonObject start(String command) {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("command", command);
        return o;
    }

    static void print(PrintWriter out, JsonElement value) {
        out.println(GSON.toJson(value));
        out.flush();
    }

    /**
     * What apply and rollback print: the agent's answer as lp4j reports it, and with --wait the
     * transition's last status. An answer with nothing to do ("unchanged") has no transition.
     */
    static JsonObject transitionResult(String command, long pid, String patchId, JsonObject answer, JsonObject transition) {
        JsonObject o = start(command);
        o.addProperty("pid", pid);
        if (patchId != null) {
            o.addProperty("patch", patchId);
        }
        boolean unchanged = answer.has("unchanged") && answer.get("unchanged").getAsBoolean();
        o.addProperty("unchanged", unchanged);
        o.addProperty("generation", answer.get("generation").getAsLong());
        if (unchanged) {
            o.addProperty("message", answer.get("message").getAsString());
            return o;
        }
        o.addProperty("fromGeneration", answer.get("fromGeneration").getAsLong());
        o.addProperty("strategy", answer.get("strategy").getAsString().toLowerCase(java.util.Locale.ROOT));
        o.add("classes", answer.get("classes"));
        o.add("patches", answer.has("patches") ? answer.get("patches") : new com.google.gson.JsonArray());
        o.add("leftOut", answer.has("leftOut") ? answer.get("leftOut") : new com.google.gson.JsonArray());
        long generation = answer.get("generation").getAsLong();
        // A rollback may have superseded the transition --wait watched: the last status is then the
        // rollback's, whose completion is not this command's.
        boolean superseded = transition != null && transition.get("toGeneration").getAsLong() != generation;
        o.addProperty("complete", transition != null
            ? !superseded && transition.get("state").getAsString().equals("complete")
            : answer.get("complete").getAsBoolean());
        if (superseded) {
            o.addProperty("supersededBy", transition.get("toGeneration").getAsLong());
        }
        if (transition != null) {
            o.add("transition", transition);
        }
        return o;
    }
}
