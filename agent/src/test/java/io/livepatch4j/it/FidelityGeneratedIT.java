package io.livepatch4j.it;

import io.livepatch4j.it.support.FidelityCase;
import io.livepatch4j.it.support.FidelityChild;
import io.livepatch4j.it.support.FidelityGen;
import io.livepatch4j.it.support.FidelityRun;
import io.livepatch4j.it.support.FidelityTable;
import io.livepatch4j.it.support.FidelityVerdict;
import net.jqwik.api.Example;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The fidelity corpus grown by generation (issue 11): jqwik draws v1/v2 pairs that combine 1 to 4
 * change kinds ({@link FidelityGen.Kind}) in one or two classes, and the pairs run through the same
 * harness as the hand-written corpus ({@link FidelityRun}). The property: the build classifies each
 * pair as its templates declare (reported if any template is, else carried), and for every pair it
 * carries, the prepared and the attached JVM print what the JVM started on v2 prints; in a pair it
 * reports, the lines of its carried templates are still the v2 JVM's lines.
 *
 * <p>{@code -Dlp4j.fidgen.pairs=N} (default 40) and {@code -Dlp4j.fidgen.seed=S} (default 11: the same
 * pairs every run; another seed draws others); {@code -Dlp4j.fidgen.kinds=SUPER_CALL,ANON_BODY} draws from
 * some kinds only (a failure's kinds, to reproduce it alone). Results: target/fidelity-generated/results.md, with the
 * count per template and the first failures in full (sources and outputs).
 */
class FidelityGeneratedIT {

    private static final long CHILD_SECONDS = 240;
    private static final int SHOWN_IN_FULL = 3;

    /** A jqwik example, not a JUnit test: jqwik's generators draw values only on a jqwik thread. */
    @Example
    void everyGeneratedPairTheBuildCarriesBehavesAsTheNewBuild() throws Exception {
        long start = System.nanoTime();
        int count = Integer.getInteger("lp4j.fidgen.pairs", 40);
        long seed = Long.getLong("lp4j.fidgen.seed", 11L);
        Path base = Path.of(System.getProperty("basedir", "."));
        Path work = base.resolve("target/fidelity-generated");
        FidelityRun.deleteTree(work);
        Path casesDir = work.resolve("cases");
        Files.createDirectories(casesDir);

        List<FidelityGen.Pair> pairs = FidelityGen.generate(count, seed, System.getProperty("lp4j.fidgen.kinds"));
        for (FidelityGen.Pair p : pairs) {
            FidelityGen.write(p, casesDir);
        }
        List<FidelityCase> cases = FidelityCase.load(casesDir, null, FidelityGen.ROOT);
        FidelityRun run = FidelityRun.of(cases, work, FidelityGen.ROOT, CHILD_SECONDS);
        List<FidelityVerdict> verdicts = new ArrayList<>();
        for (FidelityVerdict v : run.verdicts()) {
            verdicts.add(withCarriedLinesOfAReportedPair(v, pairs));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;

        String page = page(pairs, verdicts, seed, millis);
        Files.writeString(work.resolve("results.md"), page, StandardCharsets.UTF_8);
        System.out.println(page);

        List<FidelityVerdict> failed = verdicts.stream().filter(v -> !v.passed()).toList();
        if (!failed.isEmpty()) {
            StringBuilder why = new StringBuilder(failed.size() + " of " + verdicts.size()
                + " generated fidelity pairs fail (seed " + seed + "; page: " + work.resolve("results.md") + ")\n");
            for (FidelityVerdict v : failed) {
                why.append(v.c().name()).append(" (").append(v.c().title()).append(")\n");
                v.failures().forEach(f -> why.append("  - ").append(f.lines().findFirst().orElse("")).append('\n'));
            }
            if (failed.stream().anyMatch(v -> v.failures().stream().anyMatch(f -> f.contains("did not report")))) {
                for (FidelityChild child : run.children()) {
                    why.append(child.logTail()).append('\n');
                }
            }
            fail(why.toString());
        }
    }

    /**
     * A pair the build reports still carries its other templates: in a prepared or attached JVM where the
     * patch applied, the lines of the templates that expect carried are the fresh JVM's lines.
     */
    private static FidelityVerdict withCarriedLinesOfAReportedPair(FidelityVerdict v, List<FidelityGen.Pair> pairs) {
        if (!v.build().classification().equals("reported") || v.fresh() == null) {
            return v;
        }
        FidelityGen.Pair pair = pairs.stream().filter(p -> p.name().equals(v.c().name())).findFirst().orElseThrow();
        List<String> carried = new ArrayList<>();
        for (int i = 0; i < pair.uses().size(); i++) {
            if (!pair.uses().get(i).kind().reported()) {
                carried.add("t" + i + " ");
            }
        }
        List<String> failures = new ArrayList<>(v.failures());
        for (FidelityChild.Run patched : List.of(v.prepared(), v.attach())) {
            if (patched == null || patched.apply().equals("none") || carried.isEmpty()) {
                continue;
            }
            String mode = patched == v.prepared() ? "prepared" : "attach";
            if (!patched.apply().equals("ok")) {
                failures.add(mode + ": the patch of this reported pair, which carries its other templates ("
                    + String.join("", carried).trim() + "), was not applied: " + patched.apply());
                continue;
            }
            String want = linesOf(v.fresh().output(), carried);
            String got = linesOf(patched.output(), carried);
            if (!want.equals(got)) {
                failures.add(mode + ": the lines of the carried templates (" + String.join("", carried).trim()
                    + ") of this reported pair differ from fresh v2:\n" + FidelityVerdict.sideBySide(want, got, mode));
            }
        }
        return failures.size() == v.failures().size() ? v
            : new FidelityVerdict(v.c(), v.build(), v.fresh(), v.baseline(), v.prepared(), v.attach(), List.copyOf(failures));
    }

    private static String linesOf(String output, List<String> prefixes) {
        return String.join("\n", output.lines().filter(l -> prefixes.stream().anyMatch(l::startsWith)).toList());
    }

    /** The results page: how the pairs were made, counts per template, the table, the first failures in full. */
    private static String page(List<FidelityGen.Pair> pairs, List<FidelityVerdict> verdicts, long seed, long millis)
        throws IOException {
        long ran = verdicts.stream().filter(v -> v.fresh() != null && v.baseline() != null && v.prepared() != null
            && v.attach() != null).count();
        long failedCount = verdicts.stream().filter(v -> !v.passed()).count();
        StringBuilder s = new StringBuilder("# Generated fidelity pairs\n\n");
        s.append("Pairs drawn by jqwik (FidelityGen.uses(): 1 to 4 templates of "
            + (System.getProperty("lp4j.fidgen.kinds", "").isBlank() ? "every kind" : System.getProperty("lp4j.fidgen.kinds"))
            + ", each in host class H0 or H1 with a "
            + "variant 1..9) from java.util.Random seeded ").append(seed).append(". ").append(pairs.size())
            .append(" pairs generated, ").append(ran).append(" ran in all four JVMs, ")
            .append(verdicts.size() - failedCount).append(" pass, ").append(failedCount).append(" fail.\n\n");
        s.append("Per template: pairs that used it (a template used twice in a pair counts once), those the build "
            + "carried, and those that failed.\n\n| template | expects | pairs | carried | failed |\n|---|---|---|---|---|\n");
        Map<FidelityGen.Kind, int[]> byKind = new EnumMap<>(FidelityGen.Kind.class);
        for (FidelityGen.Kind k : FidelityGen.Kind.values()) {
            byKind.put(k, new int[3]);
        }
        Map<String, FidelityVerdict> byName = new java.util.HashMap<>();
        verdicts.forEach(v -> byName.put(v.c().name(), v));
        for (FidelityGen.Pair p : pairs) {
            FidelityVerdict v = byName.get(p.name());
            for (FidelityGen.Kind k : p.uses().stream().map(FidelityGen.Use::kind).distinct().toList()) {
                int[] t = byKind.get(k);
                t[0]++;
                t[1] += v.build().classification().equals("carried") ? 1 : 0;
                t[2] += v.passed() ? 0 : 1;
            }
        }
        byKind.forEach((k, t) -> s.append("| ").append(k).append(" | ").append(k.reported() ? "reported" : "carried")
            .append(" | ").append(t[0]).append(" | ").append(t[1]).append(" | ").append(t[2]).append(" |\n"));
        s.append('\n');
        s.append(FidelityTable.markdown("## Pairs\n\n", verdicts, millis));
        List<FidelityVerdict> failed = verdicts.stream().filter(v -> !v.passed()).toList();
        if (!failed.isEmpty()) {
            s.append("\n## The first ").append(Math.min(SHOWN_IN_FULL, failed.size())).append(" failures in full\n");
            for (FidelityVerdict v : failed.subList(0, Math.min(SHOWN_IN_FULL, failed.size()))) {
                s.append(inFull(v));
            }
        }
        return s.toString();
    }

    /** A failed pair: its templates, its sources, the build's messages and every JVM's output. */
    private static String inFull(FidelityVerdict v) throws IOException {
        StringBuilder s = new StringBuilder("\n### ").append(v.c().name()).append(": ").append(v.c().title()).append("\n\n");
        s.append("expect ").append(v.c().expect()).append(", build ").append(v.build().classification()).append("\n\n```\n");
        v.failures().forEach(f -> s.append("- ").append(f).append('\n'));
        v.build().refusals().forEach(r -> s.append("refusal: ").append(r).append('\n'));
        v.build().notCarried().forEach(r -> s.append("not carried: ").append(r).append('\n'));
        s.append("```\n");
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(v.c().dir())) {
            files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(sources::add);
        }
        for (Path f : sources) {
            s.append("\n").append(v.c().dir().relativize(f)).append(":\n```java\n").append(Files.readString(f)).append("```\n");
        }
        for (String mode : List.of("fresh", "baseline", "prepared", "attach")) {
            FidelityChild.Run r = switch (mode) {
                case "fresh" -> v.fresh();
                case "baseline" -> v.baseline();
                case "prepared" -> v.prepared();
                default -> v.attach();
            };
            s.append("\n").append(mode).append(r == null ? " (not reported)" : " (apply " + r.apply() + ")")
                .append(":\n```\n").append(r == null ? "" : r.output()).append("\n```\n");
        }
        return s.toString();
    }
}
