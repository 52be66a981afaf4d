package io.livepatch4j.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** lp4j status: the generations of a JVM, its transition, patched classes and busy threads. */
@Command(name = "status", description = "Show a JVM's generations, transition, stragglers and patched classes.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    TargetOptions target;

    @Option(names = "--json", description = "print the status as JSON")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Lp4jException {
        PrintWriter out = spec.commandLine().getOut();
        long pid = target.pid();
        JsonObject s = TargetJvm.connect(pid, false, target.agentJar(), null, out).status();
        if (json) {
            JsonOutput.print(out, s);
            return 0;
        }
        print(pid, s, out);
        return 0;
    }

    /** "patches A, B; states session-format=2", from a generation's status (an older agent's has neither). */
    static String includes(JsonObject g) {
        JsonElement patches = g.get("patches");
        if (patches == null || !patches.isJsonArray()) {
            return "(not reported by this agent)";
        }
        java.util.List<String> ids = new java.util.ArrayList<>();
        patches.getAsJsonArray().forEach(p -> ids.add(p.getAsString()));
        String text = ids.isEmpty() ? "no patch" : "patches " + String.join(", ", ids);
        JsonElement states = g.get("states");
        if (states != null && states.isJsonObject() && !states.getAsJsonObject().isEmpty()) {
            java.util.List<String> st = new java.util.ArrayList<>();
            states.getAsJsonObject().entrySet().forEach(e -> st.add(e.getKey() + "=" + e.getValue().getAsInt()));
            text += "; states " + String.join(", ", st);
        }
        return text;
    }

    /** Which patches the agent accepts, from its status (an older agent does not say). */
    static String trust(JsonElement trust) {
        if (trust == null || !trust.isJsonObject()) {
            return "(not reported by this agent)";
        }
        JsonObject t = trust.getAsJsonObject();
        if (!t.get("signedOnly").getAsBoolean()) {
            return "any patch its user hands it (no trustedKeys: signatures are not required)";
        }
        java.util.List<String> keys = new java.util.ArrayList<>();
        t.getAsJsonArray("keys").forEach(k -> keys.add(k.getAsString()));
        return "only patches signed by " + (keys.size() == 1 ? "key " : "one of the keys ") + String.join(", ", keys);
    }

    static void print(long pid, JsonObject s, PrintWriter out) {
        out.printf("JVM %d: livepatch4j %s (%s mode), current generation G%d%n", pid, s.get("agentVersion").getAsString(),
            s.get("mode").getAsString(), s.get("currentGeneration").getAsLong());
        out.println("trust: " + trust(s.get("trust")));
        out.println("generations:");
        for (JsonElement e : s.getAsJsonArray("generations")) {
            JsonObject g = e.getAsJsonObject();
            JsonElement took = g.get("transitionMillis"); // absent until the transition completed
            out.printf("  G%-3d %-10s %s%s%n", g.get("number").getAsLong(), g.get("state").getAsString(),
                g.get("label").getAsString(), g.get("number").getAsLong() == 0 ? ""
                    : " (" + g.get("strategy").getAsString() + ", " + g.getAsJsonArray("classes").size() + " classes"
                    + (took == null || took.isJsonNull() ? "" : String.format(", transition %.1f ms", took.getAsDouble())) + ")");
            if (g.get("number").getAsLong() != 0) {
                out.println("       includes " + includes(g));
            }
        }
        JsonElement te = s.get("transition");
        if (te != null && !te.isJsonNull()) {
            JsonObject t = te.getAsJsonObject();
            out.printf("transition G%d -> G%d (%s): %s after %.1f ms; threads moved %d, still behind %d%n",
                t.get("fromGeneration").getAsLong(), t.get("toGeneration").getAsLong(), t.get("strategy").getAsString(),
                t.get("state").getAsString(), t.get("elapsedMillis").getAsDouble(), t.get("threadsMoved").getAsInt(),
                t.get("threadsRemaining").getAsInt());
            for (JsonElement r : t.getAsJsonArray("remaining")) {
                JsonObject th = r.getAsJsonObject();
                out.printf("  %s '%s' (%s), in G%d for %.0f ms%n", th.get("straggler").getAsBoolean() ? "straggler" : "behind",
                    th.get("name").getAsString(), th.get("unitKind").getAsString(), th.get("generation").getAsLong(),
                    th.get("inUnitMillis").getAsDouble());
                for (JsonElement f : th.getAsJsonArray("stack")) {
                    out.println("      at " + f.getAsString());
                }
            }
        }
        if (!s.getAsJsonArray("classes").isEmpty()) {
            out.println("patched classes:");
            for (JsonElement e : s.getAsJsonArray("classes")) {
                JsonObject c = e.getAsJsonObject();
                out.printf("  %s: version %d, dispatch %s%n", c.get("name").getAsString(), c.get("version").getAsInt(),
                    c.get("dispatch").getAsString());
            }
        }
        out.printf("threads inside units of work: %d%n", s.getAsJsonArray("threadsInUnits").size());
        for (JsonElement e : s.getAsJsonArray("threadsInUnits")) {
            JsonObject th = e.getAsJsonObject();
            out.printf("  '%s': %s, G%d, %.1f ms%n", th.get("name").getAsString(), th.get("unitKind").getAsString(),
                th.get("generation").getAsLong(), th.get("inUnitMillis").getAsDouble());
        }
    }
}
