package io.livepatch4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.livepatch4j.control.ControlSockets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** lp4j list: the local JVMs, whether each has the agent, and which generation it runs. */
@Command(name = "list", description = "List the local JVMs, whether each has the agent, and the generation it runs.")
final class ListCommand implements Callable<Integer> {

    @Option(names = "--json", description = "print the JVMs as one JSON object (schema in docs/cli.md)")
    boolean json;

    @Spec
    CommandSpec spec;

    /** One JVM as list shows it; {@code agent} null when it has one that did not answer. */
    private record Row(long pid, Boolean agent, String mode, Long generation, String agentVersion, String main) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Row> rows = rows();
        if (json) {
            JsonObject o = JsonOutput.start("list");
            JsonArray jvms = new JsonArray();
            for (Row r : rows) {
                JsonObject j = new JsonObject();
                j.addProperty("pid", r.pid());
                j.addProperty("main", r.main());
                j.addProperty("agent", r.agent() == null ? "unknown" : r.agent() ? "yes" : "no");
                if (r.mode() != null) {
                    j.addProperty("mode", r.mode());
                    j.addProperty("currentGeneration", r.generation());
                    j.addProperty("agentVersion", r.agentVersion());
                }
                jvms.add(j);
            }
            o.add("jvms", jvms);
            JsonOutput.print(out, o);
            return 0;
        }
        out.printf("%-8s %-8s %-10s %-5s %s%n", "PID", "AGENT", "MODE", "GEN", "MAIN");
        for (Row r : rows) {
            String main = r.main().length() > 80 ? r.main().substring(0, 80) + "…" : r.main();
            out.printf("%-8d %-8s %-10s %-5s %s%n", r.pid(), r.agent() == null ? "?" : r.agent() ? "yes" : "no",
                r.mode() == null ? "-" : r.mode(), r.generation() == null ? "-" : "G" + r.generation(), main);
        }
        out.println("(JVMs started with -XX:-UsePerfData are not listed; lp4j status --pid PID still reaches them)");
        return 0;
    }

    private static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (Targets.Candidate jvm : Targets.listed()) {
            long pid = jvm.pid();
            String main = jvm.commandLine();
            ControlSockets.Located socket = locate(pid);
            if (socket == null || !socket.found()) {
                rows.add(new Row(pid, false, null, null, null, main));
                continue;
            }
            try {
                // A stopped JVM accepts the connection and never answers: list goes on without it.
                JsonObject s = new AgentClient(socket, Duration.ofSeconds(3)).status();
                rows.add(new Row(pid, true, s.get("mode").getAsString(), s.get("currentGeneration").getAsLong(),
                    s.has("agentVersion") ? s.get("agentVersion").getAsString() : null, main));
            } catch (Lp4jException e) {
                rows.add(new Row(pid, null, null, null, null, main));
            }
        }
        return rows;
    }

    /** The JVM's control sockets, or null where we may not look (another user's process). */
    private static ControlSockets.Located locate(long pid) {
        try {
            return ControlSockets.locate(pid);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
