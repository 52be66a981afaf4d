package io.livepatch4j.bench.latency;

import io.livepatch4j.bench.load.LatencyStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselinesTest {

    private static ScenarioResult run(String group, Scenario s, int threads, double p999, double shortP999) {
        RunSpec spec = new RunSpec(group, Workload.MIXED, s, threads, 300, 1, 10);
        LatencyStats all = new LatencyStats("all", 100, 0, 0, 1, 2, 3, p999, p999 + 1);
        LatencyStats sh = new LatencyStats("short", 99, 0, 0, 1, 2, 3, shortP999, shortP999 + 1);
        return new ScenarioResult(spec, 0, null, all, sh, null, null, List.of(), List.of(), Transitions.of(List.of()),
            Safepoints.of(List.of(), 0, 1, List.of()), 0, 0, CpuUse.UNKNOWN, 1);
    }

    @Test
    void ratiosAreTakenAgainstTheNoneRunOfTheSameGroupAndThreadCount() {
        ScenarioResult none32 = run(RunSpec.MAIN, Scenario.NONE, 32, 400, 20);
        ScenarioResult global32 = run(RunSpec.MAIN, Scenario.GLOBAL, 32, 800, 500);
        ScenarioResult none8 = run(RunSpec.SWEEP, Scenario.NONE, 8, 100, 10);
        ScenarioResult global8 = run(RunSpec.SWEEP, Scenario.GLOBAL, 8, 300, 400);
        Baselines b = new Baselines(List.of(none32, global32, none8, global8));
        assertEquals(2.0, b.p999Ratio(global32), 1e-9);
        assertEquals(25.0, b.shortP999Ratio(global32), 1e-9);
        assertEquals(3.0, b.p999Ratio(global8), 1e-9);
        assertEquals(40.0, b.shortP999Ratio(global8), 1e-9);
        assertEquals(1.0, b.p999Ratio(none8), 1e-9);
    }

    @Test
    void withoutABaselineOrForASkippedRunThereIsNoRatio() {
        ScenarioResult local = run(RunSpec.MAIN, Scenario.LOCAL, 32, 800, 5);
        ScenarioResult skipped = ScenarioResult.skipped(new RunSpec(RunSpec.MAIN, Workload.MIXED, Scenario.CRIU, 32, 300, 1,
            10), "not root");
        Baselines b = new Baselines(List.of(local, skipped));
        assertTrue(Double.isNaN(b.p999Ratio(local)));
        assertTrue(Double.isNaN(b.p999Ratio(skipped)));
        assertTrue(Double.isNaN(Baselines.ratio(5, 0)));
    }

    @Test
    void theJsonLineMarksASkippedScenarioAsSkippedNotAsZeroFailures() {
        ScenarioResult none = run(RunSpec.MAIN, Scenario.NONE, 32, 400, 20);
        ScenarioResult skipped = ScenarioResult.skipped(new RunSpec(RunSpec.MAIN, Workload.MIXED, Scenario.CRIU, 32, 300, 1,
            10), "CRIU needs root");
        var json = ResultFiles.json(List.of(none, skipped));
        assertEquals("CRIU needs root", json.getAsJsonObject("mixed/criu").get("skipped").getAsString());
        assertTrue(!json.getAsJsonObject("mixed/criu").has("failed"));
        assertEquals(1.0, json.getAsJsonObject("mixed/none").get("p999_ratio").getAsDouble());
        assertEquals(400.0, json.getAsJsonObject("mixed/none").get("p999_ms").getAsDouble());
    }

    @Test
    void everySummaryRowHasTheHeadersColumnsAndASkippedRunSaysWhyInTheLast(@TempDir Path dir) throws Exception {
        ScenarioResult none = run(RunSpec.MAIN, Scenario.NONE, 32, 400, 20);
        ScenarioResult skipped = ScenarioResult.skipped(new RunSpec(RunSpec.MAIN, Workload.MIXED, Scenario.CRIU, 32, 300, 1,
            10), "CRIU needs root");
        Path csv = dir.resolve("summary.csv");
        ResultFiles.writeSummary(csv, List.of(none, skipped));
        List<String> lines = Files.readAllLines(csv);
        int columns = lines.get(0).split(",", -1).length;
        for (String line : lines) {
            assertEquals(columns, line.split(",", -1).length, line);
        }
        assertTrue(lines.get(2).endsWith(",\"CRIU needs root\""));
        assertTrue(lines.get(2).startsWith("mixed/criu,main,mixed,criu,32,"));
        assertTrue(lines.get(1).contains(",400.000,"));
    }
}
