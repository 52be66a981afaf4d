package io.livepatch4j.release;

import io.livepatch4j.patch.diff.Refusal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes the coverage table of docs/results/release-coverage.md: for every pair of corpus.tsv, what
 * lp4j's builder makes of the release as published. Run by scripts/release-coverage
 * (arguments: corpus.tsv, the folder of the jars, the results page).
 */
public final class ReleaseCoverage {

    /** JVolve (Subramanian, Hicks, McKinley, PLDI'09): updates of Jetty, JavaEmailServer and CrossFTP. */
    static final String JVOLVE = "JVolve (PLDI'09) applied 20 of 22 real updates (91%) of three Java servers, counted "
        + "per release; its VM supports class changes (added fields and methods, signature changes) that lp4j refuses "
        + "or carries as shadow state, but it needs a global safepoint with every changed method off all stacks.";

    private ReleaseCoverage() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: ReleaseCoverage CORPUS_TSV CORPUS_DIR RESULTS_MD");
            System.exit(2);
        }
        List<Corpus.Pair> pairs = Corpus.read(Path.of(args[0]));
        Path dir = Path.of(args[1]);
        List<PairCoverage> all = new ArrayList<>();
        long start = System.nanoTime();
        for (Corpus.Pair pair : pairs) {
            long t = System.nanoTime();
            PairCoverage c = PairCoverage.of(pair, dir);
            all.add(c);
            System.out.printf("%-26s changed %4d  patchable %4d  refused %4d  added %3d  in patch %4d  (%d ms)%n", pair.id(),
                c.changed(), c.patchable().size(), c.refused().size(), c.added().size(), c.patchedClasses().size(),
                (System.nanoTime() - t) / 1_000_000);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        String table = render(all, millis);
        ResultsDoc.splice(Path.of(args[2]).toAbsolutePath().normalize(), "coverage", table);
        int changed = all.stream().mapToInt(PairCoverage::changed).sum();
        int patchable = all.stream().mapToInt(c -> c.patchable().size()).sum();
        System.out.printf("total: %d of %d changed classes patchable (%s); written to %s%n", patchable, changed,
            percent(patchable, changed), Path.of(args[2]).toAbsolutePath().normalize());
    }

    static String render(List<PairCoverage> all, long millis) {
        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(java.time.LocalDate.now(java.time.ZoneOffset.UTC)).append(" with the builder at commit ")
            .append(gitCommit()).append(", JDK ").append(Runtime.version()).append(", ").append(all.size())
            .append(" release pairs, ").append(millis / 1000.0).append(" s for all builds (2 shared cores). ")
            .append("Reproduce with `scripts/release-coverage` (it fetches the jars by exact version from Maven Central ")
            .append("into release-tests/target/corpus and runs `io.livepatch4j.release.ReleaseCoverage`).\n\n");
        md.append("| pair | release | CVE | changed classes | patchable | refused | patchable % | added classes | metadata only | whole pair builds | classes in the patch written | refusal reasons (classes) |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---|---:|---|\n");
        int changed = 0, patchable = 0, refused = 0, added = 0, meta = 0, inPatch = 0, whole = 0;
        for (PairCoverage c : all) {
            Corpus.Pair p = c.pair();
            StringBuilder reasons = new StringBuilder();
            c.refusedByReason().entrySet().stream()
                .sorted((a, b) -> b.getValue().size() - a.getValue().size())
                .forEach(e -> reasons.append(reasons.isEmpty() ? "" : "; ").append(e.getKey()).append(" (").append(e.getValue().size()).append(")"));
            md.append("| ").append(p.id()).append(" | ").append(p.groupId()).append(':').append(p.artifactId()).append(' ')
                .append(p.oldVersion()).append(" → ").append(p.newVersion()).append(" | ").append(p.cve()).append(" | ")
                .append(c.changed()).append(" | ").append(c.patchable().size()).append(" | ").append(c.refused().size()).append(" | ")
                .append(percent(c.patchable().size(), c.changed())).append(" | ").append(c.added().size()).append(" | ")
                .append(c.metadataOnly().size()).append(" | ").append(c.wholePairBuilds() ? "yes" : "no").append(" | ")
                .append(c.patchedClasses().size()).append(" | ").append(reasons.isEmpty() ? "–" : reasons).append(" |\n");
            changed += c.changed();
            patchable += c.patchable().size();
            refused += c.refused().size();
            added += c.added().size();
            meta += c.metadataOnly().size();
            inPatch += c.patchedClasses().size();
            whole += c.wholePairBuilds() ? 1 : 0;
        }
        md.append("| **total** | ").append(all.size()).append(" pairs | | **").append(changed).append("** | **").append(patchable)
            .append("** | **").append(refused).append("** | **").append(percent(patchable, changed)).append("** | ").append(added)
            .append(" | ").append(meta).append(" | ").append(whole).append(" of ").append(all.size()).append(" | ").append(inPatch)
            .append(" | |\n\n");
        md.append("**Patchable: ").append(patchable).append(" of ").append(changed).append(" changed classes (")
            .append(percent(patchable, changed)).append(")** over the corpus (target of issue 13: at least 90%). ")
            .append(inPatch).append(" (").append(percent(inPatch, changed)).append(") are in a patch `lp4j build` writes today ")
            .append("(the whole pair, or `--only` the largest selection of patchable classes that builds); ")
            .append(whole).append(" of ").append(all.size()).append(" pairs build whole, as published.\n\n");
        md.append("Counted per release: ").append(whole).append(" of ").append(all.size())
            .append(" releases patchable whole. ").append(JVOLVE).append("\n\n");

        // Over the corpus, by reason.
        Map<String, Set<String>> byReason = new TreeMap<>();
        Map<String, List<String>> lines = new TreeMap<>();
        for (PairCoverage c : all) {
            c.refusedByReason().forEach((reason, classes) -> classes.forEach(cl ->
                byReason.computeIfAbsent(reason, k -> new TreeSet<>()).add(c.pair().id() + " " + cl)));
            c.refused().forEach((cl, refusals) -> {
                for (Refusal r : refusals) {
                    lines.computeIfAbsent(RefusalReasons.of(r), k -> new ArrayList<>()).add(c.pair().id() + ": "
                        + code(cl + (r.member() == null ? "" : "#" + r.member())) + ": " + escape(r.reason()));
                }
            });
        }
        md.append("Refused classes by reason, over the corpus (a class refused for two reasons counts under both):\n\n");
        md.append("| reason | classes | changes |\n|---|---:|---:|\n");
        byReason.entrySet().stream().sorted((a, b) -> b.getValue().size() - a.getValue().size()).forEach(e ->
            md.append("| ").append(e.getKey()).append(" | ").append(e.getValue().size()).append(" | ")
                .append(lines.getOrDefault(e.getKey(), List.of()).size()).append(" |\n"));
        md.append("\n### Every refused change, by reason\n\n");
        lines.entrySet().stream().sorted((a, b) -> b.getValue().size() - a.getValue().size()).forEach(e -> {
            md.append("<details><summary>").append(e.getKey()).append(" (").append(e.getValue().size()).append(" changes)</summary>\n\n");
            e.getValue().forEach(l -> md.append("- ").append(l).append('\n'));
            md.append("\n</details>\n\n");
        });
        md.append("### What each patch written leaves out\n\n");
        for (PairCoverage c : all) {
            md.append("- **").append(c.pair().id()).append("**: ");
            if (c.wholePairBuilds()) {
                md.append("the whole pair (").append(c.patchable().size()).append(" classes).\n");
                continue;
            }
            Set<String> dropped = new TreeSet<>(c.patchable());
            dropped.removeAll(c.selection());
            md.append("`--only` ").append(c.selection().size()).append(" of ").append(c.patchable().size())
                .append(" patchable classes; left out: the ").append(c.refused().size()).append(" refused");
            if (!dropped.isEmpty()) {
                md.append(", and ").append(dropped.size()).append(" patchable ones a build of the selection refused (")
                    .append(escape(String.join(", ", dropped.stream().limit(12).toList())))
                    .append(dropped.size() > 12 ? ", ..." : "").append(")");
            }
            if (!c.buildRefusals().isEmpty()) {
                md.append("; build-wide: ").append(escape(c.buildRefusals().get(0).message()));
            }
            md.append(".\n");
            Set<String> reasons = new TreeSet<>();
            c.selectionRefusals().forEach(r -> reasons.add(RefusalReasons.of(r)));
            if (!reasons.isEmpty()) {
                md.append("  Refusals of the selection builds: ").append(escape(String.join("; ", reasons))).append(".\n");
            }
        }
        return md.toString();
    }

    static String percent(int part, int whole) {
        return whole == 0 ? "–" : String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    /** A code span: markdown reads nothing inside it but a table's '|'. */
    static String code(String s) {
        return "`" + s.replace("`", "'").replace("|", "\\|") + "`";
    }

    /** Plain text that may hold '<init>' or '|': keep markdown from reading them. */
    static String escape(String s) {
        return s.replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|");
    }

    private static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 && !out.isEmpty() ? "`" + out + "`" : "(unknown)";
        } catch (IOException | InterruptedException e) {
            return "(unknown)";
        }
    }
}
