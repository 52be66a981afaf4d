package io.livepatch4j.it.support;

import java.util.List;

/** The results of the fidelity corpus as a markdown page: how it ran, the table, the totals, the failures. */
public final class FidelityTable {

    private FidelityTable() {}

    public static String markdown(List<FidelityVerdict> verdicts, long millis) {
        return markdown("# Fidelity corpus results\n\n", verdicts, millis);
    }

    /** The page under {@code head} (a heading and what comes before the description of the run). */
    public static String markdown(String head, List<FidelityVerdict> verdicts, long millis) {
        StringBuilder s = new StringBuilder(head);
        s.append("Each case's v1 and v2 compiled with javac --release 17 -g; the patch built by PatchBuilder; one child JVM "
            + "per mode on ").append(System.getProperty("java.vm.name")).append(' ').append(Runtime.version())
            .append(" (fresh: v2; baseline: v1 without agent; prepared: v1 + -javaagent packages=")
            .append(verdicts.isEmpty() ? FidelityCase.CORPUS_ROOT : verdicts.get(0).c().root()).append("; attach: v1 + agent "
                + "attached to itself), every case setup() then observe(), the patch applied between them in prepared and "
                + "attach. 'v1 ≠ v2': the baseline and fresh outputs differ (the case exercises its change). Run time ")
            .append(millis / 1000.0).append(" s.\n\n");
        s.append("| case | title | issue | expect | build | v1 ≠ v2 | prepared = fresh | attach = fresh | result |\n");
        s.append("|---|---|---|---|---|---|---|---|---|\n");
        for (FidelityVerdict v : verdicts) {
            s.append("| ").append(v.c().name()).append(" | ").append(cell(v.c().title())).append(" | ").append(v.c().issue())
                .append(" | ").append(v.c().expect()).append(" | ").append(build(v.build())).append(" | ")
                .append(v.changesInTable()).append(" | ").append(v.equalInTable(v.prepared())).append(" | ").append(v.equalInTable(v.attach())).append(" | ")
                .append(v.passed() ? "pass" : "**FAIL**").append(" |\n");
        }
        s.append('\n').append(totals(verdicts)).append("\n");
        List<FidelityVerdict> failed = verdicts.stream().filter(v -> !v.passed()).toList();
        if (!failed.isEmpty()) {
            s.append("\n## Failures\n\n```\n");
            for (FidelityVerdict v : failed) {
                s.append(v.c().name()).append(" (").append(v.c().issue()).append(", ").append(v.c().title()).append(")\n");
                v.failures().forEach(f -> s.append("  - ").append(f).append('\n'));
            }
            s.append("```\n");
        }
        return s.toString();
    }

    public static String totals(List<FidelityVerdict> verdicts) {
        long carried = verdicts.stream().filter(v -> v.build().classification().equals("carried")).count();
        long reported = verdicts.stream().filter(v -> v.build().classification().equals("reported")).count();
        long refused = verdicts.stream().filter(v -> v.build().classification().equals("refused")).count();
        long equal = verdicts.stream().filter(v -> v.build().classification().equals("carried")
            && v.equalInTable(v.prepared()).equals("yes") && v.equalInTable(v.attach()).equals("yes")).count();
        long passed = verdicts.stream().filter(FidelityVerdict::passed).count();
        return "Totals: " + verdicts.size() + " cases; build: " + carried + " carried, " + reported + " reported, "
            + refused + " refused, " + (verdicts.size() - carried - reported - refused) + " other; outputs equal "
            + "(prepared and attach = fresh) for " + equal + " of the " + carried + " carried; " + passed + " pass, "
            + (verdicts.size() - passed) + " fail.";
    }

    private static String build(FidelityBuild.Outcome b) {
        return switch (b.classification()) {
            case "refused" -> "refused: " + cell(abbrev(b.refusals().get(0)));
            case "reported" -> "reported: " + cell(abbrev(b.notCarried().get(0)));
            default -> b.classification();
        };
    }

    private static String abbrev(String s) {
        return s.length() > 90 ? s.substring(0, 87) + "..." : s;
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
