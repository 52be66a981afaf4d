package io.livepatch4j.cli;

import com.google.gson.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * lp4j rollback: undoes the last patch still in effect (a new generation whose code equals the one
 * before that patch), or with --to returns to any earlier generation's code. Undoing when no patch
 * is in effect changes nothing and is not an error, so running it twice is safe.
 */
@Command(name = "rollback", description = {"Undo the last patch still in effect, or with --to run an earlier "
    + "generation's code again.", "Nothing to undo is not an error: the JVM is left as it is, exit 0."})
final class RollbackCommand implements Callable<Integer> {

    @Mixin
    TargetOptions target;

    @Option(names = "--to", paramLabel = "GENERATION", description = "the generation whose code to run again, as "
        + "'lp4j status' numbers them (G0: the code as loaded)")
    Long to;

    @Mixin
    TransitionOptions transition;

    @Option(names = "--json", description = "print the outcome as one JSON object (schema in docs/cli.md)")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Lp4jException {
        transition.check();
        if (to != null && to < 0) {
            throw new Lp4jException(Lp4jException.USAGE, "--to takes a generation number (0 for the code as loaded), not " + to);
        }
        Terminal terminal = Lp4j.terminal(spec);
        PrintWriter out = json ? spec.commandLine().getErr() : terminal.out();
        long pid = target.pid();
        AgentClient agent = TargetJvm.connect(pid, false, target.agentJar(), null, out);
        JsonObject r = agent.rollback(to, transition.strategy.word());
        if (r.has("unchanged") && r.get("unchanged").getAsBoolean()) {
            if (json) {
                JsonOutput.print(terminal.out(), JsonOutput.transitionResult("rollback", pid, null, r, null));
            } else {
                out.println(r.get("message").getAsString() + "; nothing was changed");
            }
            return 0;
        }
        long generation = r.get("generation").getAsLong();
        if (!json) {
            out.printf("rolled JVM %d back: G%d -> G%d (%s, %d classes)%n", pid, r.get("fromGeneration").getAsLong(),
                generation, transition.strategy.word(), r.getAsJsonArray("classes").size());
            if (r.has("patches") && r.get("patches").isJsonArray()) {
                java.util.List<String> ids = new java.util.ArrayList<>();
                r.getAsJsonArray("patches").forEach(p -> ids.add(p.getAsString()));
                out.printf("G%d includes %s%n", generation, ids.isEmpty() ? "no patch" : "patches " + String.join(", ", ids));
            }
        }
        JsonObject last = transition.awaitIfAsked(agent, generation, terminal, json,
            ended -> JsonOutput.transitionResult("rollback", pid, null, r, ended));
        if (json) {
            JsonOutput.print(terminal.out(), JsonOutput.transitionResult("rollback", pid, null, r, last));
        }
        return 0;
    }
}
