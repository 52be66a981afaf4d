package io.livepatch4j.it;

import io.livepatch4j.it.support.FidelityBuild;
import io.livepatch4j.it.support.FidelityCase;
import io.livepatch4j.it.support.FidelityChild;
import io.livepatch4j.it.support.FidelityTable;
import io.livepatch4j.it.support.FidelityVerdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The differential fidelity corpus (issue 11): for every case under src/test/fidelity, a JVM started
 * on v1 and patched from v1 to v2 behaves as a JVM started on v2, or the build says what it does not
 * carry, or refuses. All cases run in one child JVM per mode (fresh v2, prepared v1, attached v1,
 * and v1 without agent to show that each case's output changes from v1 to v2);
 * the results table goes to target/fidelity/results.md. -Dlp4j.fidelity.cases=a,b runs some cases.
 */
class FidelityCorpusIT {

    private static final long CHILD_SECONDS = 240;

    @Test
    @Timeout(420)
    void patchedJvmBehavesAsAJvmStartedOnTheNewBuild() throws Exception {
        long start = System.nanoTime();
        Path base = Path.of(System.getProperty("basedir", "."));
        List<FidelityCase> cases = FidelityCase.load(base.resolve("src/test/fidelity"),
            System.getProperty("lp4j.fidelity.cases"));
        Path work = base.resolve("target/fidelity");
        deleteTree(work);
        Files.createDirectories(work);

        // 1. Both builds, then each case's patch, in this JVM (no case class is loaded here).
        FidelityBuild builds = FidelityBuild.compile(cases, work);
        Map<String, FidelityBuild.Outcome> outcomes = new LinkedHashMap<>();
        StringBuilder plan = new StringBuilder();
        for (FidelityCase c : cases) {
            FidelityBuild.Outcome o = builds.patch(c, work);
            outcomes.put(c.name(), o);
            plan.append(c.name()).append('\t').append(o.patchFile() == null ? "-" : o.patchFile()).append('\n');
        }
        Path planFile = work.resolve("plan.txt");
        Files.writeString(planFile, plan, StandardCharsets.UTF_8);

        // 2. The four JVMs at once; each runs every case.
        FidelityChild fresh = FidelityChild.start("fresh", builds.v2, planFile, work);
        FidelityChild baseline = FidelityChild.start("baseline", builds.v1, planFile, work);
        FidelityChild prepared = FidelityChild.start("prepared", builds.v1, planFile, work);
        FidelityChild attach = FidelityChild.start("attach", builds.v1, planFile, work);
        Map<String, FidelityChild.Run> freshRuns = fresh.finish(CHILD_SECONDS);
        Map<String, FidelityChild.Run> baselineRuns = baseline.finish(CHILD_SECONDS);
        Map<String, FidelityChild.Run> preparedRuns = prepared.finish(CHILD_SECONDS);
        Map<String, FidelityChild.Run> attachRuns = attach.finish(CHILD_SECONDS);

        // 3. Per case: classification, match, outputs.
        List<FidelityVerdict> verdicts = new ArrayList<>();
        for (FidelityCase c : cases) {
            verdicts.add(FidelityVerdict.of(c, outcomes.get(c.name()), freshRuns.get(c.name()),
                baselineRuns.get(c.name()), preparedRuns.get(c.name()), attachRuns.get(c.name())));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        String page = FidelityTable.markdown(verdicts, millis);
        Files.writeString(work.resolve("results.md"), page, StandardCharsets.UTF_8);
        System.out.println(page);

        List<FidelityVerdict> failed = verdicts.stream().filter(v -> !v.passed()).toList();
        if (!failed.isEmpty()) {
            StringBuilder why = new StringBuilder(failed.size() + " of " + verdicts.size()
                + " fidelity cases fail (table: " + work.resolve("results.md") + ")\n");
            for (FidelityVerdict v : failed) {
                why.append(v.c().name()).append(" (").append(v.c().issue()).append(", ").append(v.c().title()).append(")\n");
                v.failures().forEach(f -> why.append("  - ").append(f).append('\n'));
            }
            for (FidelityChild child : List.of(fresh, baseline, prepared, attach)) {
                if (failed.stream().anyMatch(v -> v.failures().stream().anyMatch(f -> f.contains("did not report")))) {
                    why.append(child.logTail()).append('\n');
                }
            }
            why.append(FidelityTable.totals(verdicts));
            fail(why.toString());
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
