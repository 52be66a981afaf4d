package io.livepatch4j.cli;

import com.google.gson.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** lp4j rollback: a new generation whose code equals an earlier one's; reverses a running transition. */
@Command(name = "rollback", description = "Roll a JVM back to an earlier generation's code (reverses a transition in progress).")
final class RollbackCommand implements Callable<Integer> {

    @Mixin
    TargetOptions target;

    @Option(names = "--to", description = "the generation whose code to run again (default: the one before)")
    Long to;

    @Mixin
    TransitionOptions transition;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Lp4jException {
        String s = transition.strategy();
        PrintWriter out = spec.commandLine().getOut();
        AgentClient agent = TargetJvm.connect(target.pid, false, target.agentJar(), null, out);
        JsonObject req = new JsonObject();
        req.addProperty("command", "rollback");
        req.addProperty("strategy", s);
        if (to != null) {
            req.addProperty("to", to);
        }
        JsonObject r = agent.call(req, null).getAsJsonObject();
        long generation = r.get("generation").getAsLong();
        out.printf("rolled JVM %d back: G%d -> G%d (%s, %d classes)%n", target.pid, r.get("fromGeneration").getAsLong(),
            generation, s, r.getAsJsonArray("classes").size());
        if (r.has("patches") && r.get("patches").isJsonArray()) {
            java.util.List<String> ids = new java.util.ArrayList<>();
            r.getAsJsonArray("patches").forEach(p -> ids.add(p.getAsString()));
            out.printf("G%d includes %s%n", generation, ids.isEmpty() ? "no patch" : "patches " + String.join(", ", ids));
        }
        if (transition.await) {
            TransitionWatch.await(agent, generation, transition.timeoutSeconds, out);
        }
        return 0;
    }
}
