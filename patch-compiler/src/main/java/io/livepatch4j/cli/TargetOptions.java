package io.livepatch4j.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every command that talks to a running JVM shares. */
final class TargetOptions {

    @Option(names = "--pid", required = true, description = "the process id of the JVM")
    long pid;

    @Option(names = "--agent-jar", description = "the agent to load if the JVM has none (default: the one beside lp4j.jar)")
    Path agentJar;

    @Option(names = {"-v", "--verbose"}, description = "print stack traces on errors")
    boolean verbose;

    Path agentJar() {
        return agentJar != null ? agentJar : TargetJvm.defaultAgentJar();
    }
}
