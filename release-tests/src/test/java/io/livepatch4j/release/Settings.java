package io.livepatch4j.release;

import java.nio.file.Path;
import java.util.List;

/** What the integration tests use, from system properties that release-tests/pom.xml sets. */
final class Settings {

    private Settings() {}

    static Path agentJar() {
        return Path.of(Corpus.required("lp4j.agent.jar"));
    }

    /** Where the child JVMs' logs and the result pages go (target/release-results). */
    static Path results() {
        return Path.of(System.getProperty("lp4j.release.results", "target/release-results"));
    }

    /** The results page to write the live results into (scripts/release-coverage --live sets it); null: only target. */
    static Path doc() {
        String d = System.getProperty("lp4j.release.doc", "");
        return d.isBlank() ? null : Path.of(d);
    }

    /**
     * Whether {@code id} is selected by the comma-separated id prefixes in system property
     * {@code property} (-Dlp4j.release.pairs=guava,log4j-core): every id when it is unset.
     */
    static boolean selected(String property, String id) {
        List<String> prefixes = java.util.Arrays.stream(System.getProperty(property, "").split(","))
            .filter(s -> !s.isBlank()).toList();
        return prefixes.isEmpty() || prefixes.stream().anyMatch(id::startsWith);
    }

    static int clients() {
        return Integer.getInteger("lp4j.release.clients", 4);
    }

    static long holdMillis() {
        return Long.getLong("lp4j.release.holdMillis", 400);
    }

    /** test-classes: the child mains live there. */
    static Path testClasses() {
        try {
            return Path.of(Settings.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
