package io.livepatch4j.bench.latency;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParsingTest {

    @Test
    void lp4jNativeOutputIsReadAsKeyValueLines() {
        Map<String, String> v = NativeTool.parse("pid=2715\nfrozen_ms=30.1\npre_dump=no (kernel without soft-dirty)\n"
            + "not a value line\n");
        assertEquals("2715", v.get("pid"));
        assertEquals("30.1", v.get("frozen_ms"));
        assertEquals("no", v.get("pre_dump"));
        assertEquals(3, v.size());
        assertEquals(30.1, new NativeTool.Result(0, v, "").millis("frozen_ms"));
        assertTrue(Double.isNaN(new NativeTool.Result(0, v, "").millis("restore_ms")));
    }

    @Test
    void procStatIsReadPastACommandNameWithSpacesAndParentheses() {
        String stat = "4828 (java (x) y) S 1 4828 4828 0 -1 4194560 51003 0 12 0 3718 168 0 0 20 0 41 0 9350 2863552 "
            + "65156 18446744073709551615";
        assertArrayEquals(new long[] {9350, 3718 + 168, 0}, OtherCpu.parseStat(stat));
    }

    @Test
    void otherCpuLeavesOutOurProcessesAndCountsAProcessStartedMeanwhileFromItsStart() {
        OtherCpu.Snapshot a = new OtherCpu.Snapshot(Map.of(1L, new long[] {5, 100, 0}, 2L, new long[] {6, 1000, 0},
            3L, new long[] {7, 50, 0}, 5L, new long[] {8, 10, 19}), 0, 0);
        OtherCpu.Snapshot b = new OtherCpu.Snapshot(Map.of(1L, new long[] {5, 150, 0}, 2L, new long[] {6, 1900, 0},
            3L, new long[] {99, 20, 0}, 4L, new long[] {100, 30, 0}, 5L, new long[] {8, 70, 19}), 0, 1_000_000_000L);
        // pid 1: 50 ticks; pid 2 is ours; pid 3 is a new process with a reused pid: 20; pid 4 new: 30; pid 5 niced: 60
        assertEquals(100.0, OtherCpu.otherPercent(a, b, Set.of(2L), false), 1e-9);
        assertEquals(60.0, OtherCpu.otherPercent(a, b, Set.of(2L), true), 1e-9);
    }

    @Test
    void quickChangesTheDefaultsButExplicitOptionsWin() {
        BenchOptions q = BenchOptions.parse("--quick");
        assertTrue(q.quick());
        assertEquals(List.of(Workload.MIXED), q.workloads());
        assertEquals(List.of(), q.sweepThreads());
        assertTrue(q.out().startsWith("results"));
        BenchOptions full = BenchOptions.parse("--rate", "250", "--threads", "16", "--gap", "1-2", "--scenarios",
            "none,local");
        assertEquals(250, full.rate());
        assertEquals(16, full.threads());
        assertEquals(List.of(Scenario.NONE, Scenario.LOCAL), full.scenarios());
        assertEquals(1.0, full.minGapSeconds());
        assertEquals(2.0, full.maxGapSeconds());
        assertEquals(List.of(8, 32, 128), full.sweepThreads());
        assertTrue(full.out().startsWith("docs"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--scenarios", "hotswap"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--rate", "0"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--gap", "2-1"));
    }

    @Test
    void theSweepReusesTheMainMixedRunsForTheMainThreadCount() {
        List<RunSpec> plan = LatencyBench.plan(BenchOptions.parse("--sweep", "8,32,128", "--threads", "32"));
        assertEquals(14, plan.stream().filter(s -> s.group().equals(RunSpec.MAIN)).count()); // 2 workloads x 7 scenarios
        assertEquals(List.of(8, 8, 8, 128, 128, 128), plan.stream().filter(s -> s.group().equals(RunSpec.SWEEP))
            .map(RunSpec::threads).toList());
    }
}
