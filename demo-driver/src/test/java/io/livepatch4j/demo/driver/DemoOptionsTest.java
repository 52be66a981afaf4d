package io.livepatch4j.demo.driver;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** scripts/demo's options: help that exits 0, every flag scripts and tests pass, and wrong ones refused with the usage. */
class DemoOptionsTest {

    @Test
    void helpPrintsTheUsageWithDefaultsInsteadOfRunning() {
        StringWriter out = new StringWriter();
        assertNull(DemoOptions.parse(new String[] {"--help"}, new PrintWriter(out, true)));
        assertTrue(out.toString().startsWith("Usage: scripts/demo"), out.toString());
        assertTrue(out.toString().contains("--rate=RPS") && out.toString().contains("(default: 300)"), out.toString());
    }

    @Test
    void everyFlagTheScriptsPassStillWorks() {
        DemoOptions o = DemoOptions.parse("--duration", "10", "--apply-at", "4", "--warmup", "2", "--rate", "200",
            "--keys", "20000", "--threads", "16", "--report-passes", "2", "--report-share", "0.05", "--attach",
            "--out", "x", "--agent-jar", "a.jar", "--lp4j-jar", "l.jar", "--v1", "1.jar", "--v2", "2.jar");
        assertEquals(10, o.durationSeconds());
        assertEquals(4, o.applyAtSeconds());
        assertEquals(2, o.warmupSeconds());
        assertEquals(200, o.rate());
        assertEquals(16, o.serverThreads());
        assertTrue(o.attach());
        assertEquals(Path.of("2.jar"), o.jars().v2Jar());
        DemoOptions defaults = DemoOptions.parse();
        assertEquals(40 / 3.0, defaults.applyAtSeconds(), 1e-9);
        assertEquals(5, defaults.warmupSeconds());
        assertEquals(Path.of("results/demo"), defaults.out());
    }

    @Test
    void wrongOptionsAreRefusedWithTheUsage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--speed", "9"));
        assertTrue(e.getMessage().contains("Unknown options: '--speed'") && e.getMessage().contains("Usage:"), e.getMessage());
        IllegalArgumentException late = assertThrows(IllegalArgumentException.class,
            () -> DemoOptions.parse("--duration", "10", "--apply-at", "9.5"));
        assertTrue(late.getMessage().contains("at least 1 s before the end"), late.getMessage());
    }
}
