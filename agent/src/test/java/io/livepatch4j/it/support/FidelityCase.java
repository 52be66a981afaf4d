package io.livepatch4j.it.support;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One case of the fidelity corpus ({@code agent/src/test/fidelity/<name>/}): its folders v1/, v2/,
 * both/ (source roots; other files are resources) and what case.properties says it should do.
 *
 * @param expect carried, reported or refused
 * @param match  a substring (case-insensitive) of a refusal (refused) or of a NotCarried message (reported)
 * @param known  a documented difference of the agent itself, not of the build, as {@code mode:text}: in
 *               that mode ({@code all}: both), output lines that contain the text are left out before
 *               comparing (empty: none)
 * @param equal  for a reported case: the labels (comma-separated in equal=) of the output lines that must
 *               still equal the fresh JVM's, the behaviour the patch carries beside what it reports
 * @param applyRefusal for a case the build writes a patch for but the agent must refuse (apply=refused): a
 *               substring (case-insensitive) of the agent's refusal in both modes; null for a case that applies
 * @param root   the package every case of its corpus sits under: {@code fid} for the hand-written corpus,
 *               {@code fidgen} for the generated one (FidelityGeneratedIT); the case's package is root.name
 */
public record FidelityCase(String name, Path dir, String title, String expect, String match, String issue,
                           String known, List<String> equal, String applyRefusal, String root) {

    /** The hand-written corpus's package root. */
    public static final String CORPUS_ROOT = "fid";

    /** The case's package, {@code root.name}. */
    public String pkg() {
        return root + "." + name;
    }

    /** The text of known= for {@code mode}, or null. */
    public String knownIn(String mode) {
        return known.startsWith(mode + ":") ? known.substring(mode.length() + 1)
            : known.startsWith("all:") ? known.substring(4) : null;
    }


    static final Set<String> EXPECTS = Set.of("carried", "reported", "refused");

    /** Every case under {@code root}, by name; {@code only} (comma-separated, may be blank) selects some. */
    public static List<FidelityCase> load(Path root, String only) {
        return load(root, only, CORPUS_ROOT);
    }

    /** As {@link #load(Path, String)}, for a corpus whose cases sit under the package {@code packageRoot}. */
    public static List<FidelityCase> load(Path root, String only, String packageRoot) {
        List<String> wanted = only == null || only.isBlank() ? null : List.of(only.trim().split("\\s*,\\s*"));
        List<FidelityCase> cases = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String name = dir.getFileName().toString();
                if (wanted == null || wanted.contains(name)) {
                    cases.add(read(dir, packageRoot));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (wanted != null && cases.size() != wanted.size()) {
            throw new IllegalArgumentException("lp4j.fidelity.cases names cases that are not in " + root + ": " + wanted);
        }
        return cases;
    }

    private static FidelityCase read(Path dir, String packageRoot) throws IOException {
        String name = dir.getFileName().toString();
        if (!name.matches("[a-z][a-z0-9]*")) {
            throw new IllegalArgumentException(dir + ": a case name is lowercase letters and digits (it is the package " + packageRoot + "." + name + ")");
        }
        Path file = dir.resolve("case.properties");
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(dir + " has no case.properties (title=, expect=, match=, issue=)");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String expect = p.getProperty("expect", "").trim();
        if (!EXPECTS.contains(expect)) {
            throw new IllegalArgumentException(file + ": expect= must be one of " + EXPECTS + ", not '" + expect + "'");
        }
        String probe = "both/" + packageRoot + "/" + name + "/Probe.java";
        if (!Files.exists(dir.resolve(probe))) {
            throw new IllegalArgumentException(dir + " has no " + probe);
        }
        return new FidelityCase(name, dir, p.getProperty("title", "").trim(), expect, p.getProperty("match", "").trim(),
            p.getProperty("issue", "").trim(), p.getProperty("known", "").trim(),
            p.getProperty("equal", "").isBlank() ? List.of() : List.of(p.getProperty("equal").trim().split("\\s*,\\s*")),
            "refused".equals(p.getProperty("apply", "").trim()) ? p.getProperty("applyMatch", "").trim() : null,
            packageRoot);
    }
}
