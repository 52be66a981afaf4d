package io.livepatch4j.bench.latency;

import io.livepatch4j.bench.load.Sample;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Every request of one run, warm-up included, as gzipped CSV in the work directory (not committed:
 * the HdrHistogram logs are the published raw data). The load's request sequence is seeded, so the
 * n-th request of two runs is the same request: these files let an investigation pair them.
 */
final class RawSamples {

    private RawSamples() {}

    static void write(Path csvGz, List<Sample> samples, long fromNanos) throws IOException {
        Files.createDirectories(csvGz.toAbsolutePath().getParent());
        List<Sample> sorted = samples.stream()
                .sorted((a, b) -> Long.compare(a.intendedNanos(), b.intendedNanos()))
                .toList();
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(csvGz)),
                StandardCharsets.UTF_8)) {
            w.write("due_s,due_nanotime,kind,status,latency_ms,version,generation,failure\n");
            for (Sample s : sorted) {
                w.write(String.format(Locale.ROOT, "%.6f,%d,%s,%d,%.3f,%s,%d,%s%n",
                        (s.intendedNanos() - fromNanos) / 1e9, s.intendedNanos(), s.kind(), s.status(),
                        s.latencyNanos() / 1e6, s.version(), s.generation(),
                        s.failure() == null ? "" : s.failure().replace(',', ';').replace('\n', ' ')));
            }
        }
    }
}
