package io.livepatch4j.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checkout's ./lp4j (README: "the command line is ./lp4j") through a link from another folder,
 * as docs/cli.md has the distribution's bin/lp4j linked into /usr/local/bin.
 */
class CheckoutLauncherIT {

    /**
     * Review of issue 15: ./lp4j found its jar from the link's folder, not its own, and said
     * "/usr/local/bin/patch-compiler/target/lp4j.jar is not built yet" (exit 2) for a built checkout.
     */
    @Test
    void theCheckoutsLp4jRunsThroughALink() throws Exception {
        Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("lp4j");
        assertTrue(Files.isExecutable(script), script.toString());
        Path link = Files.createSymbolicLink(Files.createTempDirectory("lp4j-link").resolve("lp4j"), script);
        Path out = Files.createTempFile("lp4j-out", ".txt");
        ProcessBuilder pb = new ProcessBuilder(link.toString(), "--version").redirectErrorStream(true)
            .redirectOutput(out.toFile()).directory(link.getParent().toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String printed = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), printed);
        assertTrue(printed.startsWith("lp4j "), printed);
    }
}
