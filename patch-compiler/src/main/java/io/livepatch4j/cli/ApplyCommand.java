package io.livepatch4j.cli;

import com.google.gson.JsonObject;
import io.livepatch4j.control.ControlSockets;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.build.NotCarriedNotice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * lp4j apply: applies a patch to a running JVM, loading the agent if it is not there. The patch
 * that is already live, applied again, changes nothing and is not an error.
 */
@Command(name = "apply", description = "Apply a patch to a running JVM (loads the agent if it is not there).")
final class ApplyCommand implements Callable<Integer> {

    @Mixin
    TargetOptions target;

    @Parameters(paramLabel = "FILE", description = "the patch file")
    Path file;

    @Mixin
    TransitionOptions transition;

    @Option(names = "--trusted-keys", paramLabel = "PATH", description = "when lp4j loads the agent: "
        + "accept only patches signed by these keys (a public key file or a directory of them, read by the target "
        + "JVM's user); the agent option trustedKeys")
    Path trustedKeys;

    @Option(names = "--agent-options", paramLabel = "OPTIONS", description = "when lp4j loads the "
        + "agent: its options, as after -javaagent:livepatch4j-agent.jar= (docs/agent.md)")
    String agentOptions;

    @Option(names = "--json", description = "print the outcome as one JSON object (schema in docs/cli.md)")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Lp4jException {
        ApplyTimings timings = new ApplyTimings();
        transition.check();
        Patch patch = InspectCommand.read(file); // refuse a corrupt file before touching the JVM
        refuseUnpatchable(patch);
        byte[] bytes = bytes();
        timings.lap("read");
        Terminal terminal = Lp4j.terminal(spec);
        // With --json, lp4j's notes (loading the agent...) must not break the one object on stdout.
        PrintWriter out = json ? spec.commandLine().getErr() : terminal.out();
        long pid = target.pid();
        AgentClient agent = TargetJvm.connect(pid, true, target.agentJar(), agentOptions(), out);
        timings.agentLoaded(agent.wasLoadedNow());
        timings.lap("connect");
        JsonObject r = agent.apply(bytes, file.getFileName().toString(), transition.strategy.word());
        timings.lap("apply");
        timings.agent(r);
        if (r.has("unchanged") && r.get("unchanged").getAsBoolean()) {
            if (json) {
                JsonOutput.print(terminal.out(), JsonOutput.transitionResult("apply", pid, patch.id(), r, null));
            } else {
                out.println("already applied: " + r.get("message").getAsString() + "; nothing was changed");
            }
            return 0;
        }
        long generation = r.get("generation").getAsLong();
        if (!json) {
            out.printf("applied patch %s to JVM %d: G%d -> G%d (%s, %d classes)%s%n", patch.id(), pid,
                r.get("fromGeneration").getAsLong(), generation, transition.strategy.word(), r.getAsJsonArray("classes").size(),
                r.get("complete").getAsBoolean() ? ", transition complete" : ", threads move at their quiescence points");
            if (r.has("patches") && r.get("patches").isJsonArray()) {
                java.util.List<String> ids = new java.util.ArrayList<>();
                r.getAsJsonArray("patches").forEach(p -> ids.add(p.getAsString()));
                out.printf("G%d includes patches %s%s%n", generation, String.join(", ", ids),
                    patch.replace() ? " (cumulative: it replaced the patches that were live)" : "");
            }
            if (r.has("leftOut") && r.get("leftOut").isJsonArray() && !r.getAsJsonArray("leftOut").isEmpty()) {
                out.println("left out (no code of this JVM can run them, so the patch does not change them):");
                r.getAsJsonArray("leftOut").forEach(c -> out.println("  " + c.getAsString()));
            }
            NotCarriedNotice.print(patch.notCarried(), out);
        }
        JsonObject last = transition.awaitIfAsked(agent, generation, terminal, json,
            ended -> JsonOutput.transitionResult("apply", pid, patch.id(), r, ended));
        if (last != null) {
            timings.lap("wait");
        }
        if (json) {
            JsonObject result = JsonOutput.transitionResult("apply", pid, patch.id(), r, last);
            result.add("timings", timings.json());
            JsonOutput.print(terminal.out(), result);
        } else {
            out.println(timings.line());
        }
        return 0;
    }

    private byte[] bytes() throws Lp4jException {
        try {
            if (Files.size(file) > ControlSockets.MAX_PATCH) {
                throw new Lp4jException(Lp4jException.USAGE, file + " is " + (Files.size(file) >> 20) + " MiB, more than "
                    + "the " + (ControlSockets.MAX_PATCH >> 20) + " MiB a patch sent to a JVM may be; "
                    + "split the fix into smaller patches");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new Lp4jException(Lp4jException.USAGE, "cannot read " + file + ": " + Lp4jException.describe(e), e);
        }
    }

    /**
     * --agent-options, with --trusted-keys added as an absolute path (the target resolves it, not lp4j's
     * folder); null when neither was given (an agent that failed to start is then not loaded again).
     */
    private String agentOptions() throws Lp4jException {
        if (agentOptions == null && trustedKeys == null) {
            return null;
        }
        String options = agentOptions == null ? "" : agentOptions.trim();
        if (trustedKeys != null) {
            if (!Files.exists(trustedKeys)) {
                throw new Lp4jException(Lp4jException.USAGE, "--trusted-keys " + trustedKeys + " does not exist");
            }
            if (options.contains("trustedKeys=")) {
                throw new Lp4jException(Lp4jException.USAGE, "give trusted keys once: --trusted-keys or trustedKeys= in "
                    + "--agent-options, not both");
            }
            String keys = "trustedKeys=" + trustedKeys.toAbsolutePath().normalize();
            if (keys.contains(",")) {
                throw new Lp4jException(Lp4jException.USAGE, "--trusted-keys " + trustedKeys + " has a comma in its path, "
                    + "which the agent's options cannot carry (they are comma-separated); move the keys to a path without one");
            }
            options = options.isEmpty() ? keys : keys + "," + options;
        }
        return options;
    }

    /**
     * A patch that names a class of the JDK or of livepatch4j is refused here, before lp4j attaches:
     * loading the agent alone would change JDK classes (its integrations), for a patch the agent refuses.
     */
    private static void refuseUnpatchable(Patch patch) throws Lp4jException {
        java.util.List<String> problems = io.livepatch4j.patch.Unpatchable.problems(patch);
        if (!problems.isEmpty()) {
            throw new Lp4jException(Lp4jException.REFUSED, "refused patch " + patch.id() + ", nothing was sent to the "
                + "JVM:\n  - " + String.join("\n  - ", problems));
        }
    }
}
