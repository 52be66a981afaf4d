package io.livepatch4j.bench;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The jars the reactor builds that the demo and the latency harness run: the agent, lp4j, and the
 * demo server's two builds (a picocli mixin; the defaults are where a checkout's build puts them).
 */
public final class BuiltJars {

    @Option(names = "--agent-jar", paramLabel = "JAR", defaultValue = "patch-compiler/target/livepatch4j-agent.jar",
        description = "the agent (default: ${DEFAULT-VALUE})")
    Path agentJar;

    @Option(names = "--lp4j-jar", paramLabel = "JAR", defaultValue = "patch-compiler/target/lp4j.jar",
        description = "lp4j, which builds and applies the patch (default: ${DEFAULT-VALUE})")
    Path lp4jJar;

    @Option(names = "--v1", paramLabel = "JAR", defaultValue = "demo-server/target/demo-server-v1.jar",
        description = "the demo server's build with the bug (default: ${DEFAULT-VALUE})")
    Path v1Jar;

    @Option(names = "--v2", paramLabel = "JAR", defaultValue = "demo-server/target/demo-server-v2.jar",
        description = "its fixed build, the patch is made from (default: ${DEFAULT-VALUE})")
    Path v2Jar;

    public Path agentJar() {
        return agentJar;
    }

    public Path lp4jJar() {
        return lp4jJar;
    }

    public Path v1Jar() {
        return v1Jar;
    }

    public Path v2Jar() {
        return v2Jar;
    }

    /** The first of the jars that is not there (the build has not run), if any. */
    public java.util.Optional<Path> missing() {
        return java.util.stream.Stream.of(agentJar, lp4jJar, v1Jar, v2Jar)
            .filter(p -> !java.nio.file.Files.isRegularFile(p)).findFirst();
    }
}
