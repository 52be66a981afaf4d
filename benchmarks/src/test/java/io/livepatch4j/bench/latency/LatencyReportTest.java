package io.livepatch4j.bench.latency;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyReportTest {

    @Test
    void aNewRunReplacesOnlyTheGeneratedPartSoTheAnalysisAroundItSurvives() {
        String page = "# Title\n\nintro\n\n" + LatencyReport.BEGIN + "\nold tables\n" + LatencyReport.END
            + "\n\n## What we observed\n\nanalysis\n";
        String next = LatencyReport.splice(page, LatencyReport.BEGIN + "\nnew tables\n" + LatencyReport.END + "\n");
        assertEquals("# Title\n\nintro\n\n" + LatencyReport.BEGIN + "\nnew tables\n" + LatencyReport.END
            + "\n\n## What we observed\n\nanalysis\n", next);
    }

    @Test
    void withoutAPageOrItsMarkersAWholeNewPageIsWritten() {
        String gen = LatencyReport.BEGIN + "\nt\n" + LatencyReport.END + "\n";
        assertTrue(LatencyReport.splice(null, gen).startsWith("# Latency under load"));
        assertTrue(LatencyReport.splice("no markers here", gen).endsWith(gen));
    }

    @Test
    void theCallCostTableIsTakenWithTheLinesThatSayHowItWasMeasured(@TempDir Path dir) throws Exception {
        Path md = dir.resolve("callcost.md");
        Files.writeString(md, "Call cost of X (ns per call).\nJMH 1.37, 3 forks.\n\n| case | ns |\n| --- | ---: |\n"
            + "| a | 1 |\n\nafter\n| other | table |\n");
        assertEquals(List.of("Call cost of X (ns per call).", "JMH 1.37, 3 forks.", "", "| case | ns |", "| --- | ---: |",
            "| a | 1 |"), LatencyReport.callCostTable(md));
        assertEquals(List.of(), LatencyReport.callCostTable(dir.resolve("missing.md")));
    }

    @Test
    void percentileAxisLabelsReadAsPercentiles() {
        assertEquals("0%", PercentilePlot.PercentileFormat.label(1));
        assertEquals("90%", PercentilePlot.PercentileFormat.label(10));
        assertEquals("99.9%", PercentilePlot.PercentileFormat.label(1000));
        assertEquals("99.99%", PercentilePlot.PercentileFormat.label(10000));
    }
}
