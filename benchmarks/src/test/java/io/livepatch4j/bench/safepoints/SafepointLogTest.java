package io.livepatch4j.bench.safepoints;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The safepoint-log parser and window attribution, on lines captured from JDK 17 and JDK 25 children. */
class SafepointLogTest {

    /** Captured with SafepointLog.xlogOption on JDK 17.0.15 (first six lines) and Temurin 25.0.3 (the rest). */
    private static final String SAMPLE = """
        [0.622s][5168313077610ns][safepoint] Safepoint "G1CollectForAllocation", Time since last: 490334372 ns, Reaching safepoint: 5718 ns, Cleanup: 87100 ns, At safepoint: 76896189 ns, Total: 76989007 ns
        [2.521s][5170211833404ns][handshake] Handshake "Deoptimize", Targeted threads: 10, Executed by requesting thread: 10, Total completion time: 71517 ns
        [3.175s][5345987778309ns][safepoint] Safepoint "RedefineClasses", Time since last: 5169915 ns, Reaching safepoint: 4276 ns, Cleanup: 34211 ns, At safepoint: 8841003 ns, Total: 8879490 ns
        [5.347s][5173038328517ns][handshake] Handshake "GetStackTrace", Targeted threads: 1, Executed by requesting thread: 0, Total completion time: 16901090 ns
        [5.949s][5173640021300ns][safepoint] Safepoint "Cleanup", Time since last: 1046243764 ns, Reaching safepoint: 80019 ns, Cleanup: 63084 ns, At safepoint: 8611321 ns, Total: 8754424 ns
        OpenJDK 64-Bit Server VM warning: Sharing is only supported for boot loader classes because bootstrap classpath has been appended
        [4.334s][5489447912572ns][safepoint] Safepoint "RedefineClasses", Time since last: 3099318392 ns, Reaching safepoint: 3165 ns, At safepoint: 9809107 ns, Leaving safepoint: 6722672 ns, Total: 16534944 ns, Threads: 0 runnable, 14 total
        [3.064s][5464514590595ns][handshake] Handshake "GetStackTraceClosure", Targeted threads: 1, Executed by requesting thread: 1, Total completion time: 4837 ns
        [3.065s][5464514805376ns][gc] Using G1
        [3.066s][safepoint] Safepoint "Cleanup", Time since last: 1 ns, Reaching safepoint: 1 ns, At safepoint: 1 ns, Total: 3 ns
        """;

    @Test
    void parsesSafepointsAndHandshakesOfJdk17AndJdk25AndNothingElse() {
        List<SafepointLog.VmOperation> ops = SafepointLog.parseAll(SAMPLE.lines().toList());
        assertEquals(7, ops.size(), "7 operation lines; the warning, the gc line and the line without timenanos are not: " + ops);

        SafepointLog.VmOperation gc = ops.get(0);
        assertEquals(SafepointLog.Kind.SAFEPOINT, gc.kind());
        assertEquals("G1CollectForAllocation", gc.name());
        assertEquals(5168313077610L, gc.endNanos());
        assertEquals(76989007L, gc.durationNanos(), "a safepoint's duration is its Total");
        assertEquals(0.622, gc.uptimeSeconds(), 1e-9);

        SafepointLog.VmOperation deopt = ops.get(1);
        assertEquals(SafepointLog.Kind.HANDSHAKE, deopt.kind());
        assertEquals("Deoptimize", deopt.name());
        assertEquals(71517L, deopt.durationNanos(), "a handshake's duration is its total completion time");

        SafepointLog.VmOperation jdk25 = ops.get(5);
        assertEquals("RedefineClasses", jdk25.name());
        assertEquals(16534944L, jdk25.durationNanos(), "JDK 25's Total, not its Leaving safepoint");
        assertEquals("GetStackTraceClosure", ops.get(6).name());
        assertEquals(SafepointLog.Kind.HANDSHAKE, ops.get(6).kind());
    }

    @Test
    void operationsCountInTheWindowsTheyOverlapOnly() {
        List<SafepointLog.VmOperation> ops = SafepointLog.parseAll(SAMPLE.lines().toList());
        // The RedefineClasses safepoint ran from 5345978898819 to 5345987778309 ns: it ended inside this
        // window, and began before it, so it counts; the others are far outside.
        Window apply = new Window(Window.APPLY, 1, 5345980000000L, 5345990000000L, 5345985000000L);
        SafepointReport.Counted c = SafepointReport.Counted.of(apply, ops);
        assertEquals(1, c.safepoints());
        assertEquals(8879490L, c.safepointNanos());
        assertEquals(1, c.safepointNames().get("RedefineClasses"));
        assertEquals(0, c.handshakes());

        Window justAfter = new Window(Window.IDLE, 1, 5345987778310L, 5345999000000L);
        assertEquals(0, SafepointReport.Counted.of(justAfter, ops).safepoints(), "ended one ns before the window");

        Window deoptOnly = new Window(Window.ROLLBACK, 2, 5170211800000L, 5170211900000L, -1);
        SafepointReport.Counted d = SafepointReport.Counted.of(deoptOnly, ops);
        assertEquals(0, d.safepoints());
        assertEquals(1, d.handshakes());
        assertEquals(1, d.handshakeNames().get("Deoptimize"));
    }

    @Test
    void tableSaysCountsAndPausePerWindowAndInAll() {
        List<SafepointLog.VmOperation> ops = SafepointLog.parseAll(SAMPLE.lines().toList());
        long redefineEnd = 5345987778309L;
        List<Window> windows = List.of(
            new Window(Window.RUN, 0, redefineEnd - 1_000_000_000L, redefineEnd + 1_000_000_000L),
            new Window(Window.APPLY, 1, redefineEnd - 1_000_000L, redefineEnd + 1_000_000L, redefineEnd),
            new Window(Window.APPLY, 2, redefineEnd + 100_000_000L, redefineEnd + 102_000_000L, redefineEnd + 101_000_000L));
        SafepointReport report = new SafepointReport();
        report.add(new SafepointReport.ChildRun("JDK 17", SafepointCase.PREPARED_REDEFINE, windows, ops, 1, 0,
            "executor task"));
        String table = report.table("JDK 17");
        assertTrue(table.contains("| (d) prepared, redefine | apply | 2 | 2.00 | 1.00 | 0.50; 1; 1 | 4439.7; 8879.5; 8879.5 "
            + "| RedefineClasses ×1 |"), table);
    }

    @Test
    void windowLinesRoundTrip() {
        Window w = new Window(Window.FIRST_APPLY, 0, 100, 250, 180);
        assertEquals(w, Window.parse(w.line()).orElseThrow());
        assertEquals(80, w.callNanos());
        assertTrue(Window.parse("READY pid=1").isEmpty());
    }

    @Test
    void backgroundLeavesOutTheBusyWindowsButNotTheIdleOnes() {
        List<SafepointLog.VmOperation> ops = SafepointLog.parseAll(SAMPLE.lines().toList());
        long cleanupEnd = 5173640021300L;
        long gcEnd = 5168313077610L;
        List<Window> windows = List.of(
            new Window(Window.RUN, 0, gcEnd - 1_000_000_000L, cleanupEnd + 1_000_000_000L),
            new Window(Window.APPLY, 1, cleanupEnd - 10_000_000L, cleanupEnd + 10_000_000L, cleanupEnd),
            new Window(Window.IDLE, 1, gcEnd - 100_000_000L, gcEnd + 100_000_000L));
        SafepointReport.ChildRun run = new SafepointReport.ChildRun("JDK 17", SafepointCase.PREPARED_LOCAL, windows, ops,
            1, 0, "executor task");
        SafepointReport.Background b = SafepointReport.background(run);
        // In the run window: G1 (inside the idle window: background), Cleanup (inside the apply: not).
        assertEquals(1, b.safepoints(), "only the GC counts as background: " + b.names());
        assertEquals(1, b.names().get("G1CollectForAllocation"));
        assertEquals((windows.get(0).lengthNanos() - windows.get(1).lengthNanos()) / 1e9, b.seconds(), 1e-9);
    }
}
