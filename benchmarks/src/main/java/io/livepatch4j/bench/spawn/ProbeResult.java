package io.livepatch4j.bench.spawn;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one child JVM measured, passed to the parent as a single line on stdout
 * ({@code LP4J-LAUNCH key=value ...}) so that the JVM's own output cannot be mistaken for it.
 */
public record ProbeResult(String mechanism, long heapMib, long rssMib, LaunchStats stats) {

    static final String PREFIX = "LP4J-LAUNCH ";

    public String toLine() {
        return PREFIX + "mechanism=" + mechanism + " heap_mib=" + heapMib + " rss_mib=" + rssMib
                + " runs=" + stats.runs() + " median_us=" + stats.medianUs() + " p99_us=" + stats.p99Us()
                + " min_us=" + stats.minUs() + " max_us=" + stats.maxUs() + " mean_us=" + stats.meanUs();
    }

    /** Parses a line written by {@link #toLine()}; empty for any other line. */
    public static Optional<ProbeResult> parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return Optional.empty();
        }
        Map<String, String> kv = new HashMap<>();
        for (String part : line.substring(PREFIX.length()).trim().split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                kv.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        try {
            LaunchStats stats = new LaunchStats(Integer.parseInt(kv.get("runs")), Double.parseDouble(kv.get("median_us")),
                    Double.parseDouble(kv.get("p99_us")), Double.parseDouble(kv.get("min_us")),
                    Double.parseDouble(kv.get("max_us")), Double.parseDouble(kv.get("mean_us")));
            return Optional.of(new ProbeResult(kv.get("mechanism"), Long.parseLong(kv.get("heap_mib")),
                    Long.parseLong(kv.get("rss_mib")), stats));
        } catch (RuntimeException e) { // a missing key (NullPointerException) or a bad number
            return Optional.empty();
        }
    }
}
