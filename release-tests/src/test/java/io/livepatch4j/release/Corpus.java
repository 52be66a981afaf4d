package io.livepatch4j.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The release corpus as corpus.tsv lists it, and where pom.xml put its jars (target/corpus, one
 * file per artifact and version, as maven-dependency-plugin names them).
 */
public final class Corpus {

    /** One release pair: the old release a JVM runs, the fix release, and what the old one needs to run. */
    public record Pair(String id, String groupId, String artifactId, String oldVersion, String newVersion, String cve,
                       List<String> deps, String fix) {

        public Path oldJar(Path dir) {
            return dir.resolve(artifactId + "-" + oldVersion + ".jar");
        }

        public Path newJar(Path dir) {
            return dir.resolve(artifactId + "-" + newVersion + ".jar");
        }

        /** The old release's run-time deps (group:artifact:version) as files. */
        public List<Path> depJars(Path dir) {
            return deps.stream().map(d -> dir.resolve(jarName(d))).toList();
        }

        /** The old release and its deps, as a class path. */
        public String oldClassPath(Path dir) {
            return Stream.concat(Stream.of(oldJar(dir)), depJars(dir).stream()).map(Path::toString)
                .collect(Collectors.joining(java.io.File.pathSeparator));
        }

        public String versions() {
            return oldVersion + " -> " + newVersion;
        }
    }

    private Corpus() {}

    /** group:artifact:version as the file maven-dependency-plugin copies it to. */
    static String jarName(String gav) {
        String[] p = gav.split(":");
        return p[1] + "-" + p[2] + ".jar";
    }

    public static List<Pair> read(Path tsv) {
        List<Pair> pairs = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(tsv)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 8) {
                    throw new IllegalStateException(tsv + ": expected 8 tab-separated fields, found " + f.length + ": " + line);
                }
                List<String> deps = f[6].equals("-") ? List.of() : Arrays.asList(f[6].split(","));
                pairs.add(new Pair(f[0], f[1], f[2], f[3], f[4], f[5], deps, f[7]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pairs;
    }

    /** The corpus of this test run: system properties set by pom.xml. */
    public static List<Pair> fromSystemProperties() {
        return read(Path.of(required("lp4j.corpus.tsv")));
    }

    public static Path dir() {
        return Path.of(required("lp4j.corpus.dir"));
    }

    public static Pair pair(String id) {
        return fromSystemProperties().stream().filter(p -> p.id().equals(id)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no pair " + id + " in corpus.tsv"));
    }

    static String required(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("system property " + property + " is not set; run these tests with Maven "
                + "(release-tests/pom.xml sets it)");
        }
        return v;
    }
}
