package io.livepatch4j.bench.bigpatch;

import io.livepatch4j.bench.safepoints.SafepointLog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How one lp4j run is matched with the workload's safepoint log and ticks. */
class WindowFiguresTest {

    private static final long MS = 1_000_000L;

    /** The log of a big apply on JDK 17 (its own lines, with timenanos), shifted to start at 10 s. */
    private static final String LOG = """
        [1.0s][9990000000ns][info][safepoint        ] Safepoint "RedefineClasses", Time since last: 1 ns, Reaching safepoint: 1 ns, Cleanup: 1 ns, At safepoint: 1 ns, Total: 2000000 ns
        [1.2s][10100000000ns][info][safepoint        ] Safepoint "G1CollectForAllocation", Time since last: 1 ns, Reaching safepoint: 1 ns, Cleanup: 1 ns, At safepoint: 1 ns, Total: 5000000 ns
        [1.3s][10300000000ns][info][safepoint        ] Safepoint "RedefineClasses", Time since last: 1 ns, Reaching safepoint: 1 ns, Cleanup: 1 ns, At safepoint: 1 ns, Total: 21000000 ns
        [1.4s][10400000000ns][info][safepoint        ] Safepoint "CollectForMetadataAllocation", Time since last: 1 ns, Reaching safepoint: 1 ns, Cleanup: 1 ns, At safepoint: 1 ns, Total: 15000000 ns
        [1.5s][10500000000ns][info][handshake] Handshake "Deoptimize", Targeted threads: 10, Executed by requesting thread: 10, Total completion time: 70000 ns
        [1.9s][12500000000ns][info][safepoint        ] Safepoint "Cleanup", Time since last: 1 ns, Reaching safepoint: 1 ns, Cleanup: 1 ns, At safepoint: 1 ns, Total: 100000 ns
        """;

    @Test
    void countsOnlyWhatOverlapsTheRunAndSetsGcPausesApart() {
        List<SafepointLog.VmOperation> ops = SafepointLog.parseAll(LOG.lines().toList());
        WindowFigures.Safepoints s = WindowFigures.safepoints(ops, 10_000 * MS, 11_000 * MS);
        assertEquals(3, s.all(), "the first RedefineClasses ended before the run, the Cleanup after it");
        assertEquals(1, s.other());
        assertEquals(Map.of("RedefineClasses", 1), s.otherNames());
        assertEquals(21.0, s.otherMillis(), 1e-9);
        assertEquals(21.0, s.longestMillis(), 1e-9, "the longest safepoint of any kind");
        assertEquals(2, s.gc(), "G1CollectForAllocation and CollectForMetadataAllocation are GC pauses");
        assertEquals(1, s.handshakes());
        assertEquals(1, s.deoptimizations());
    }

    @Test
    void gcOperationsAreToldFromOthers() {
        for (String gc : List.of("G1CollectForAllocation", "G1CollectFull", "G1PauseRemark", "G1TryInitiateConcMark",
                "CollectForMetadataAllocation", "ZMarkStart", "ShenandoahInitMark", "ParallelGCFailedAllocation")) {
            assertTrue(WindowFigures.isGc(gc), gc);
        }
        for (String other : List.of("RedefineClasses", "ICBufferFull", "Cleanup", "Deoptimize", "HandshakeFallback",
                "FindDeadlocks", "ThreadDump")) {
            assertFalse(WindowFigures.isGc(other), other);
        }
    }

    @Test
    void throughputRatiosCompareTheRunWithTheSecondsBefore() {
        // 1000 tasks per 100 ms before 10 s; a 100 ms stall at 10.2 s; 500 per 100 ms from 10.3 s on
        List<WorkloadJvm.Tick> ticks = new ArrayList<>();
        long tasks = 0;
        for (long t = 8_000; t <= 13_000; t += 100) {
            ticks.add(new WorkloadJvm.Tick(t * MS, tasks, 0, 0, 0));
            tasks += t < 10_000 ? 1000 : t == 10_200 ? 0 : 500;
        }
        WindowFigures.Throughput tp = WindowFigures.throughput(ticks, 8_000 * MS, 10_000 * MS, 11_000 * MS, 13_000 * MS);
        assertEquals(10_000, tp.baseline(), 1e-6, "tasks per second before the run");
        assertEquals(0.0, tp.minRatio(), 1e-9, "the stalled bucket");
        assertEquals(0.45, tp.meanRatio(), 1e-9, "4500 tasks in the 1 s run, against 10000");
        assertTrue(Double.isInfinite(tp.recoverySeconds()), "never back to 90% of the baseline");
        assertEquals(0.5, tp.afterRatio(), 1e-9, "the last second's median bucket, over the median bucket before");
        assertTrue(tp.afterLow() <= 0.5 && tp.afterHigh() >= 0.5);
    }

    @Test
    void recoveryIsTheFirstHalfSecondBackAtNinetyPercent() {
        // 1000 tasks per 100 ms; none from 10 s to 11.5 s (the run ends at 11 s); 950 from 11.5 s, then 1000
        List<WorkloadJvm.Tick> ticks = new ArrayList<>();
        long tasks = 0;
        for (long t = 8_000; t <= 14_000; t += 100) {
            ticks.add(new WorkloadJvm.Tick(t * MS, tasks, 0, 0, 0));
            tasks += t < 10_000 ? 1000 : t < 11_500 ? 0 : t < 12_000 ? 950 : 1000;
        }
        WindowFigures.Throughput tp = WindowFigures.throughput(ticks, 8_000 * MS, 10_000 * MS, 11_000 * MS, 14_000 * MS);
        assertEquals(0.5, tp.recoverySeconds(), 1e-9);
        assertEquals(1.0, tp.afterRatio(), 1e-9, "the median bucket from 11.5 s on");
        assertTrue(Double.isInfinite(WindowFigures.recoverySeconds(ticks, 11_000 * MS, 11_900 * MS, 10_000)),
            "not yet known before a whole window was seen");
    }
}
