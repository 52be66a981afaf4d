package io.livepatch4j.servers.harness;

/** How the agent gets into the server's JVM. */
public enum Mode {
    /** -javaagent at start, with packages= naming the app package (every method of it prepared). */
    PREPARED,
    /** No agent at start; the first 'lp4j apply --pid' loads it (classes prepared as the patch needs). */
    ATTACH
}
