package io.livepatch4j.bench;

import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** The options of the benchmarks that run JVMs with the agent: which agent jar, and where the results go (a picocli mixin). */
public final class AgentJarOptions {

    @Option(names = "--agent-jar", paramLabel = "JAR", defaultValue = "agent/target/livepatch4j-agent-0.1.0.jar",
        description = "the agent jar (default: ${DEFAULT-VALUE})")
    Path agentJar;

    @Option(names = "--out", paramLabel = "DIR", description = "where the CSV and markdown results go (default: none written)")
    Path out;

    /** The agent jar as given (a run without the agent does not need it). */
    public Path agentJar() {
        return agentJar;
    }

    /** The agent jar, which must exist. */
    public Path checkedAgentJar() {
        if (!Files.isRegularFile(agentJar)) {
            throw new IllegalArgumentException("no agent jar at " + agentJar.toAbsolutePath()
                + ": build it with 'mvn -pl agent -am package -DskipTests' or pass --agent-jar");
        }
        return agentJar;
    }

    /** Where results go; null: print them only. */
    public Path out() {
        return out;
    }
}
