package io.livepatch4j.servers.harness;

import java.nio.file.Path;

/**
 * What a scenario does, from system properties (server-tests/pom.xml sets the defaults; raise them
 * on the command line for a longer run, e.g. -Dlp4j.servers.cycles=20).
 */
public final class Settings {

    private Settings() {}

    /** Apply + rollback cycles per scenario. */
    public static int cycles() {
        return Integer.getInteger("lp4j.servers.cycles", 2);
    }

    /** Concurrent HTTP clients; client i asks for the server's variant i mod n (see Load). */
    public static int clients() {
        return Integer.getInteger("lp4j.servers.clients", 8);
    }

    /** How long the load runs on each generation between two lp4j commands. */
    public static long holdMillis() {
        return Long.getLong("lp4j.servers.holdMillis", 150);
    }

    public static Path agentJar() {
        return Path.of(required("lp4j.agent.jar"));
    }

    /** Where the logs of the child JVMs and the result lines go. */
    public static Path results() {
        return Path.of(System.getProperty("lp4j.servers.results", "target/servers-results"));
    }

    static String required(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("system property " + property + " is not set; run the server tests with "
                + "'mvn verify' (server-tests/pom.xml sets it)");
        }
        return v;
    }
}
