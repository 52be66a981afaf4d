package io.livepatch4j.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every command that talks to a running JVM shares: which JVM ({@link Targets}), and the agent jar. */
final class TargetOptions {

    @Option(names = "--pid", paramLabel = "PID", description = "the process id of the JVM")
    Long pid;

    @Option(names = "--main", paramLabel = "NAME", description = "the JVM whose main class or jar contains NAME, as "
        + "jcmd matches it (an exact name wins; more than one match is refused, listing them). Without --pid or "
        + "--main: the only JVM of this user")
    String main;

    @Option(names = "--agent-jar", paramLabel = "JAR", description = "the agent to load if the JVM has none "
        + "(default: the one beside lp4j.jar)")
    Path agentJar;

    @Option(names = {"-v", "--verbose"}, description = "print stack traces on errors")
    boolean verbose;

    private long chosen;

    /** The JVM's pid, chosen once per command. */
    long pid() throws Lp4jException {
        if (chosen == 0) {
            chosen = Targets.choose(pid, main);
        }
        return chosen;
    }

    Path agentJar() {
        return agentJar != null ? agentJar : TargetJvm.defaultAgentJar();
    }
}
