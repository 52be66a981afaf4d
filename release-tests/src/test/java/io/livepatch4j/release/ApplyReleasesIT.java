package io.livepatch4j.release;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * "A patch lp4j build wrote must apply" (issue 13): for every pair of the corpus, the patch that
 * 'lp4j build' writes from the published jars (the whole pair when it is patchable, otherwise
 * --only the largest selection that builds) is applied with 'lp4j apply --pid --wait' to a JVM that
 * runs the old release with the agent in prepared mode and has loaded every changed class, and then
 * rolled back with 'lp4j rollback --wait'. Failures are listed in KnownFailures.APPLY.
 */
class ApplyReleasesIT {

    private static final Map<String, String> ROWS = new ConcurrentHashMap<>();

    @TestFactory
    Stream<DynamicTest> everyPatchLp4jBuildWritesAppliesToAJvmRunningTheOldRelease() {
        // -Dlp4j.release.pairs=guava,log4j-core: only the pairs whose id starts with one of these.
        return Corpus.fromSystemProperties().stream()
            .filter(pair -> Settings.selected("lp4j.release.pairs", pair.id()))
            .map(pair -> DynamicTest.dynamicTest(pair.id(), () -> run(pair)));
    }

    private static void run(Corpus.Pair pair) throws Exception {
        String known = KnownFailures.APPLY.get(pair.id());
        try {
            applyAndRollBack(pair);
        } catch (TestAbortedException e) {
            throw e;
        } catch (Throwable e) {
            if (known == null) {
                throw e;
            }
            ROWS.put(pair.id(), "| " + pair.id() + " | " + PARTIAL.getOrDefault(pair.id(), "| | |") + " | **fails** (listed in "
                + "KnownFailures.APPLY): " + ReleaseCoverage.escape(firstLine(e.getMessage())) + " |");
            Assumptions.abort("known failure (KnownFailures.APPLY): " + known + "; this run: " + e.getMessage());
        }
        Assertions.assertNull(known, pair.id() + " now builds, applies and rolls back: remove it from KnownFailures.APPLY");
    }

    /** What a pair got to before it failed: patched classes, loaded classes, build ms (three cells). */
    private static final Map<String, String> PARTIAL = new ConcurrentHashMap<>();

    /** The line of an lp4j failure that says why ('lp4j: ...'), else the first line. */
    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String first = message.strip().lines().findFirst().orElse("");
        // Cli.ok's "'lp4j apply ...' exited 1: lp4j: refused ...": the command is in the test's name already.
        String why = first.startsWith("'lp4j ") && first.contains("lp4j: ") ? first.substring(first.indexOf("lp4j: ")) : first;
        if (why.endsWith(":")) {
            why += " " + message.strip().lines().skip(1).filter(l -> l.startsWith("  - ")).map(String::strip)
                .collect(java.util.stream.Collectors.joining(" "));
        }
        return why.length() > 600 ? why.substring(0, 600) + "..." : why;
    }

    private static void applyAndRollBack(Corpus.Pair pair) throws Exception {
        Path dir = Corpus.dir();
        long t0 = System.nanoTime();
        PairCoverage c = PairCoverage.of(pair, dir);
        if (c.patchedClasses().isEmpty()) {
            Set<String> reasons = new TreeSet<>();
            c.refused().values().forEach(l -> l.forEach(r -> reasons.add(RefusalReasons.of(r))));
            c.selectionRefusals().forEach(r -> reasons.add(RefusalReasons.of(r)));
            ROWS.put(pair.id(), "| " + pair.id() + " | 0 of " + c.changed() + " | – | – | – | no patch: " + String.join("; ", reasons) + " |");
            Assumptions.abort("lp4j build writes no patch for " + pair.id() + " today (" + c.refused().size()
                + " classes refused, no selection of the " + c.patchable().size() + " patchable ones builds): " + reasons);
        }

        // 1. A JVM on the old release that loads every changed class; it starts while lp4j builds.
        Path names = Settings.results().resolve(pair.id() + ".classes");
        Files.createDirectories(names.getParent());
        Set<String> changed = new TreeSet<>(c.patchable());
        changed.addAll(c.refused().keySet());
        Files.write(names, changed);
        String cp = Settings.testClasses() + java.io.File.pathSeparator + pair.oldClassPath(dir);
        CompletableFuture<Child> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return Child.start("apply-" + pair.id(), cp, Child.packagesOf(c.patchedClasses()), List.of(),
                    "io.livepatch4j.release.child.LoadRelease", names.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        // 2. lp4j build, as a person would, with --only when the whole pair is refused.
        Path patch = Settings.results().resolve(pair.id() + ".lp4j");
        List<String> build = new ArrayList<>(List.of("build", "--old", pair.oldJar(dir).toString(), "--new",
            pair.newJar(dir).toString(), "-o", patch.toString(), "--id", pair.id() + "-" + pair.newVersion()));
        if (c.only() != null) {
            c.only().forEach(o -> build.addAll(List.of("--only", o)));
            Set<String> leftOut = new TreeSet<>(c.refused().keySet());
            leftOut.addAll(c.patchable());
            leftOut.removeAll(c.selection());
            System.out.println(pair.id() + ": the whole pair is refused; patching --only " + c.selection().size()
                + " classes, leaving out " + leftOut.size() + ": " + leftOut);
        }
        try {
            Cli.ok(build.toArray(new String[0]));
        } catch (AssertionError e) {
            starting.thenAccept(Child::closeQuietly);
            throw e;
        }
        long buildMillis = (System.nanoTime() - t0) / 1_000_000;

        try (Child jvm = starting.join()) {
            String loaded = jvm.output().stream().filter(l -> l.startsWith("LOADED ")).findFirst().orElse("LOADED ?");
            PARTIAL.put(pair.id(), c.patchedClasses().size() + " of " + c.changed() + (c.only() == null ? " (whole pair)" : " (--only)")
                + " | " + loaded.substring("LOADED ".length()) + " | " + buildMillis + " | –");

            // 3. Apply, then roll back, each waiting for the transition to complete.
            long t1 = System.nanoTime();
            String applied = Cli.ok("apply", "--pid", Long.toString(jvm.pid()), patch.toString(), "--wait", "--timeout", "60",
                "--agent-jar", Settings.agentJar().toString());
            long applyMillis = (System.nanoTime() - t1) / 1_000_000;
            Assertions.assertTrue(applied.contains("G0 -> G1"), "apply did not make generation 1:\n" + applied);
            String rolledBack = Cli.ok("rollback", "--pid", Long.toString(jvm.pid()), "--wait", "--timeout", "60");
            Assertions.assertTrue(rolledBack.contains("G1 -> G2"), "rollback did not make generation 2:\n" + rolledBack);
            // Classes the agent left out: no code of this JVM can run them (an optional dependency is absent).
            List<String> leftOut = applied.lines().dropWhile(l -> !l.startsWith("left out")).skip(1)
                .takeWhile(l -> l.startsWith("  ")).map(l -> l.trim().split(" ")[0]).toList();
            ROWS.put(pair.id(), "| " + pair.id() + " | " + c.patchedClasses().size() + " of " + c.changed()
                + (c.only() == null ? " (whole pair)" : " (--only)") + " | " + loaded.substring("LOADED ".length())
                + " | " + buildMillis + " | " + applyMillis + " | applied G0 → G1" + (leftOut.isEmpty() ? ""
                : " (" + leftOut.size() + " left out, their code cannot run here: " + String.join(", ", leftOut.stream()
                    .map(n -> n.substring(n.lastIndexOf('.') + 1)).toList()) + ")") + ", rolled back G1 → G2 |");
        }
    }

    @AfterAll
    static void writeResults() throws Exception {
        StringBuilder md = new StringBuilder("Every patch `lp4j build` writes, applied with `lp4j apply --pid --wait` to a JVM "
            + "running the old release (agent in prepared mode for the packages the patch changes, every changed class loaded, C1 only), then `lp4j rollback --wait`; "
            + "ApplyReleasesIT, JDK " + Runtime.version() + ".\n\n"
            + "| pair | classes patched of changed | classes loaded in the JVM | build ms | apply ms | result |\n"
            + "|---|---|---|---:|---:|---|\n");
        Corpus.fromSystemProperties().forEach(p -> md.append(ROWS.getOrDefault(p.id(), "| " + p.id() + " | not run | | | | |")).append('\n'));
        Files.writeString(Settings.results().resolve("apply.md"), md);
        if (Settings.doc() != null) {
            ResultsDoc.splice(Settings.doc(), "apply", md.toString());
        }
    }
}
