package io.livepatch4j.cli;

import io.livepatch4j.cli.support.ChildJvm;
import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.cli.support.Fixture;
import io.livepatch4j.cli.support.Sources;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, item 4: an unsigned patch padded with zeros (a few hundred KiB that inflate to 360 MiB)
 * sent to a JVM that trusts only signed patches is refused on its patch.json, before the padding is
 * inflated; the JVM, whose heap is far smaller than the padding, keeps serving and still takes a
 * signed patch. Before the fix the agent inflated the whole zip first and ran out of memory.
 */
class SignedOnlyPaddedPatchIT {

    private static final String V1 = """
        package fixture;
        public class Subject {
            public static String probe() {
                return "v1";
            }
        }""";
    private static final Fixture FIX = Fixture.subject("padded", V1, V1.replace("return \"v1\";", "return \"v2\";"), "v1", "v2");

    @Test
    void zeroPaddedUnsignedPatchIsRefusedAndTheJvmKeepsServing() throws Exception {
        Path v1 = Sources.compile("v1", FIX.v1Build());
        Path v2 = Sources.compile("v2", FIX.v2Build());
        Path dir = Files.createTempDirectory("lp4j-padded");
        Path patch = dir.resolve("fix.lp4j");
        Cli.Result built = Cli.run("build", "--old", v1.toString(), "--new", v2.toString(), "-o", patch.toString(),
            "--id", "padded-fix");
        assertEquals(0, built.exit(), built.toString());
        Path padded = dir.resolve("padded.lp4j");
        pad(patch, padded, 6, 60L << 20);
        assertTrue(Files.size(padded) < 1 << 20, "a small file: " + Files.size(padded));

        assertEquals(0, Cli.run("keygen", "-o", dir.resolve("k").toString()).exit());
        String agent = System.getProperty("lp4j.agent.jar");
        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main", "-Xmx64m",
            "-javaagent:" + agent + "=packages=fixture,trustedKeys=" + dir.resolve("k/lp4j-signing.pub"))) {
            String pid = String.valueOf(jvm.pid());
            Cli.Result refused = Cli.run("apply", "--pid", pid, padded.toString());
            assertEquals(1, refused.exit(), refused.toString());
            assertTrue(refused.err().contains("is unsigned"), refused.toString());
            assertEquals(1, refused.err().strip().lines().count(), "one line: " + refused);
            jvm.skipOutput();
            assertEquals("OUT v1", jvm.awaitLine(l -> l.startsWith("OUT"), 10), "unchanged, still serving");

            Path signed = dir.resolve("signed.lp4j");
            assertEquals(0, Cli.run("sign", patch.toString(), "--key", dir.resolve("k/lp4j-signing.key").toString(),
                "-o", signed.toString()).exit());
            Cli.Result ok = Cli.run("apply", "--pid", pid, signed.toString(), "--wait");
            assertEquals(0, ok.exit(), "the agent still works: " + ok);
            jvm.skipOutput();
            assertEquals("OUT v2", jvm.awaitLine(l -> l.startsWith("OUT"), 10));
        }
    }

    /** The patch's entries, then {@code copies} entries of {@code zeros} zero bytes each (outside the format). */
    private static void pad(Path patch, Path out, int copies, long zeros) throws Exception {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(Files.readAllBytes(patch)));
             OutputStream file = Files.newOutputStream(out);
             ZipOutputStream zip = new ZipOutputStream(file)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(in.readAllBytes());
                zip.closeEntry();
            }
            zip.setLevel(9);
            byte[] chunk = new byte[1 << 20];
            for (int c = 0; c < copies; c++) {
                zip.putNextEntry(new ZipEntry("padding/zeros-" + c + ".bin"));
                for (long left = zeros; left > 0; left -= chunk.length) {
                    zip.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
                zip.closeEntry();
            }
        }
    }
}
