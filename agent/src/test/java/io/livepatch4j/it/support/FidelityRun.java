package io.livepatch4j.it.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of a fidelity corpus, shared by the hand-written corpus (FidelityCorpusIT) and the generated
 * one (FidelityGeneratedIT): both builds and every case's patch in this JVM, then the four child JVMs
 * at once (fresh v2, baseline v1, prepared v1, attached v1), each running every case, then one
 * verdict per case.
 *
 * @param children the four child JVMs, for their logs when a case was never reported
 */
public record FidelityRun(List<FidelityVerdict> verdicts, List<FidelityChild> children) {

    /** Runs {@code cases} (all under the package {@code packageRoot}) with {@code work} as the scratch folder. */
    public static FidelityRun of(List<FidelityCase> cases, Path work, String packageRoot, long childSeconds)
        throws Exception {
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
        FidelityChild fresh = FidelityChild.start("fresh", builds.v2, planFile, work, packageRoot);
        FidelityChild baseline = FidelityChild.start("baseline", builds.v1, planFile, work, packageRoot);
        FidelityChild prepared = FidelityChild.start("prepared", builds.v1, planFile, work, packageRoot);
        FidelityChild attach = FidelityChild.start("attach", builds.v1, planFile, work, packageRoot);
        Map<String, FidelityChild.Run> freshRuns = fresh.finish(childSeconds);
        Map<String, FidelityChild.Run> baselineRuns = baseline.finish(childSeconds);
        Map<String, FidelityChild.Run> preparedRuns = prepared.finish(childSeconds);
        Map<String, FidelityChild.Run> attachRuns = attach.finish(childSeconds);

        // 3. Per case: classification, match, outputs.
        List<FidelityVerdict> verdicts = new ArrayList<>();
        for (FidelityCase c : cases) {
            verdicts.add(FidelityVerdict.of(c, outcomes.get(c.name()), freshRuns.get(c.name()),
                baselineRuns.get(c.name()), preparedRuns.get(c.name()), attachRuns.get(c.name())));
        }
        return new FidelityRun(verdicts, List.of(fresh, baseline, prepared, attach));
    }

    /** Deletes {@code dir} and everything under it, if it exists. */
    public static void deleteTree(Path dir) throws java.io.IOException {
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
