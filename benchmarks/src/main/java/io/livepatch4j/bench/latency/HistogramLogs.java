package io.livepatch4j.bench.latency;

import io.livepatch4j.bench.load.RequestKind;
import io.livepatch4j.bench.load.Sample;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The measured period of one run as an HdrHistogram log (HistogramLogWriter, one interval histogram
 * per second, values in nanoseconds, by due time): the raw latency distribution in a form
 * HdrHistogram's HistogramLogProcessor and HistogramLogAnalyzer read. Untagged intervals hold every
 * successful request; in the mixed workload, intervals tagged {@code short} hold the short ones.
 */
final class HistogramLogs {

    private HistogramLogs() {}

    static void write(Path file, ScenarioResult r, List<Sample> samples, long fromNanos, long untilNanos)
        throws IOException {
        Files.createDirectories(file.getParent());
        int seconds = (int) Math.ceil((untilNanos - fromNanos) / 1e9);
        Histogram[] all = new Histogram[seconds];
        Histogram[] shortOnly = new Histogram[seconds];
        for (int i = 0; i < seconds; i++) {
            all[i] = new Histogram(1_000L, 60_000_000_000L, 3);
            shortOnly[i] = new Histogram(1_000L, 60_000_000_000L, 3);
            shortOnly[i].setTag("short");
        }
        for (Sample s : samples) {
            if (s.failed() || s.intendedNanos() < fromNanos || s.intendedNanos() >= untilNanos) {
                continue;
            }
            int i = (int) ((s.intendedNanos() - fromNanos) / 1_000_000_000L);
            long v = Math.min(Math.max(s.latencyNanos(), 1_000L), 60_000_000_000L);
            all[i].recordValue(v);
            if (s.kind() != RequestKind.REPORT) {
                shortOnly[i].recordValue(v);
            }
        }
        long epochStartMillis = System.currentTimeMillis() - (System.nanoTime() - fromNanos) / 1_000_000L;
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, "UTF-8")) {
            HistogramLogWriter w = new HistogramLogWriter(out);
            w.outputLogFormatVersion();
            w.outputComment(String.format(Locale.ROOT,
                    "livepatch4j latency harness: %s, %s workload, %d server threads, "
                            + "%.0f req/s open loop, JDK %s",
                    r.spec().scenario().word(), r.spec().workload().word(), r.spec().threads(),
                    r.spec().rate(), Runtime.version()));
            w.outputComment("values: nanoseconds from each request's intended send time to its "
                    + "complete response; one interval per second of the measured period, by due time; "
                    + "failed requests are not recorded");
            w.outputStartTime(epochStartMillis);
            w.outputBaseTime(epochStartMillis);
            w.outputLegend();
            for (int i = 0; i < seconds; i++) {
                w.outputIntervalHistogram(i, i + 1, all[i], 1e6);
                if (r.spec().workload().hasLongRequests()) {
                    w.outputIntervalHistogram(i, i + 1, shortOnly[i], 1e6);
                }
            }
        }
    }
}
