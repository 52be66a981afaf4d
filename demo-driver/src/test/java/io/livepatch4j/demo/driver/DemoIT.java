package io.livepatch4j.demo.driver;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short run of the main job (about 10 s of load): the demo server patched live under load, with
 * the real lp4j and agent jars. Asserts what the demo promises: no failed request, no request that
 * ran two versions, the leak gone for every request sent after the transition completed, and the
 * report written.
 */
class DemoIT {

    @Test
    void liveFixUnderLoadFailsNothingMixesNothingAndFixesTheLeak() throws Exception {
        Path out = Path.of(System.getProperty("lp4j.demo.out", "target/demo-it"));
        String[] args = {"--duration", "10", "--apply-at", "4", "--warmup", "2", "--rate", "200", "--keys", "20000",
            "--threads", "16", "--out", out.toString(),
            "--agent-jar", System.getProperty("lp4j.agent.jar"), "--lp4j-jar", System.getProperty("lp4j.jar"),
            "--v1", System.getProperty("lp4j.demo.v1"), "--v2", System.getProperty("lp4j.demo.v2")};
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try (PrintStream tee = new PrintStream(new TeeStream(captured, original), true, StandardCharsets.UTF_8)) {
            System.setOut(tee);
            exit = Demo.run(DemoOptions.parse(args));
        } finally {
            System.setOut(original);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        String last = lines.get(lines.size() - 1);
        JsonObject summary = JsonParser.parseString(last).getAsJsonObject();
        assertEquals(0, summary.get("failed").getAsLong(), "no failed request");
        assertEquals(0, summary.get("mixed").getAsLong(), "no request saw two versions");
        assertTrue(summary.get("bug_fixed").getAsBoolean(), "the leak is gone for every request after the transition");
        assertTrue(summary.get("requests").getAsLong() > 1500, "the load ran: " + last);
        assertTrue(summary.get("transition_ms").getAsDouble() >= 0, "the transition completed: " + last);
        for (String key : List.of("p999_before_ms", "p999_during_ms", "p999_after_ms")) {
            assertTrue(summary.has(key), key);
        }
        assertEquals(0, exit);
        assertTrue(Files.readString(out.resolve("report.md")).contains("# Live patch of demo-server under load"));
        assertTrue(Files.size(out.resolve("latency.png")) > 10_000, "the plot was written");
    }

    /** Writes to two streams: the test keeps the output and the log still shows it. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
