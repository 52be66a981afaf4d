package io.livepatch4j.it;

import io.livepatch4j.it.support.FidelityCase;
import io.livepatch4j.it.support.FidelityChild;
import io.livepatch4j.it.support.FidelityRun;
import io.livepatch4j.it.support.FidelityTable;
import io.livepatch4j.it.support.FidelityVerdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        FidelityRun.deleteTree(work);
        Files.createDirectories(work);

        FidelityRun run = FidelityRun.of(cases, work, FidelityCase.CORPUS_ROOT, CHILD_SECONDS);
        List<FidelityVerdict> verdicts = run.verdicts();
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
            for (FidelityChild child : run.children()) {
                if (failed.stream().anyMatch(v -> v.failures().stream().anyMatch(f -> f.contains("did not report")))) {
                    why.append(child.logTail()).append('\n');
                }
            }
            why.append(FidelityTable.totals(verdicts));
            fail(why.toString());
        }
    }
}
