package io.livepatch4j.cli;

import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.cli.support.Sources;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, item 4: lp4j build bounds what it reads. A jar of about 500 KB that holds a 512 MiB entry
 * (zeros compress about a thousand to one) ended in a 17-line OutOfMemoryError; in every form a
 * build is given (a plain jar, a library nested in a Spring Boot jar, a WAR, a folder, a class path)
 * it is now refused in one line with exit code 1, after reading at most the 64 MB entry limit.
 */
class BuildBoundsTest {

    private static final long BIG = 512L << 20;

    @Test
    void jarHoldingA512MibEntryIsRefusedInOneLine() throws Exception {
        Path dir = Files.createTempDirectory("lp4j-bounds");
        Path jar = dir.resolve("app.jar");
        try (OutputStream out = Files.newOutputStream(jar)) {
            zipWithZeros(out, "com/acme/Big.class", BIG);
        }
        assertTrue(Files.size(jar) < 1 << 20, "a small file: " + Files.size(jar));
        assertRefusedInOneLine(jar.toString(), "app.jar!/com/acme/Big.class is larger than 64 MB");
    }

    @Test
    void springBootJarWhoseLibraryHoldsA512MibEntryIsRefusedInOneLine() throws Exception {
        Path dir = Files.createTempDirectory("lp4j-bounds");
        ByteArrayOutputStream lib = new ByteArrayOutputStream();
        zipWithZeros(lib, "lib/Big.class", BIG);
        Path boot = dir.resolve("boot.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(boot))) {
            put(zip, "BOOT-INF/classes/com/acme/App.class", classBytes());
            put(zip, "BOOT-INF/lib/big-1.0.jar", lib.toByteArray());
        }
        assertRefusedInOneLine(boot.toString(), "BOOT-INF/lib/big-1.0.jar!/lib/Big.class is larger than 64 MB");
    }

    @Test
    void warHoldingA512MibClassIsRefusedInOneLine() throws Exception {
        Path dir = Files.createTempDirectory("lp4j-bounds");
        Path war = dir.resolve("app.war");
        try (OutputStream out = Files.newOutputStream(war)) {
            zipWithZeros(out, "WEB-INF/classes/com/acme/Big.class", BIG);
        }
        assertRefusedInOneLine(war.toString(), "WEB-INF/classes/com/acme/Big.class is larger than 64 MB");
    }

    @Test
    void folderHoldingA512MibClassFileIsRefusedUnread() throws Exception {
        Path dir = Files.createTempDirectory("lp4j-bounds");
        Path big = Files.createDirectories(dir.resolve("classes/com/acme")).resolve("Big.class");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(BIG); // sparse: no disk used
        }
        assertRefusedInOneLine(dir.resolve("classes").toString(), "com/acme/Big.class is larger than 64 MB");
    }

    @Test
    void classPathElementHoldingA512MibEntryIsRefusedInOneLine() throws Exception {
        Path dir = Files.createTempDirectory("lp4j-bounds");
        Path jar = dir.resolve("lib.jar");
        try (OutputStream out = Files.newOutputStream(jar)) {
            zipWithZeros(out, "lib/Big.class", BIG);
        }
        Path app = Sources.compile("bounds-app", Map.of("com.acme.App", "package com.acme; public class App { }"));
        assertRefusedInOneLine(app + java.io.File.pathSeparator + jar, "lib.jar!/lib/Big.class is larger than 64 MB");
    }

    @Test
    void filesKeptWholeCountTowardsTheBuildsTotal() throws Exception {
        // Multi-release class files are kept whole to compare; each is under the entry limit, together
        // they pass what one build may hold (they were not counted: 1,000,000 of them could be held).
        Path dir = Files.createTempDirectory("lp4j-bounds");
        Path jar = dir.resolve("mr.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.setLevel(9);
            put(zip, "com/acme/App.class", classBytes());
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < 9; i++) {
                zip.putNextEntry(new ZipEntry("META-INF/versions/11/com/acme/C" + i + ".class"));
                for (int m = 0; m < 60; m++) {
                    zip.write(chunk);
                }
                zip.closeEntry();
            }
        }
        assertRefusedInOneLine(jar.toString(), "the build's class files exceed 512 MB together");
    }

    private static void assertRefusedInOneLine(String old, String expected) throws IOException {
        Path out = Files.createTempDirectory("lp4j-bounds-out").resolve("p.lp4j");
        Cli.Result r = Cli.run("build", "--old", old, "--new", old, "-o", out.toString());
        assertEquals(1, r.exit(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r);
        assertTrue(r.err().startsWith("lp4j: refused: ") && r.err().contains(expected), r.toString());
        assertTrue(Files.notExists(out), "no patch written");
    }

    /** A zip whose one entry is {@code size} zero bytes, deflated as they are written. */
    private static void zipWithZeros(OutputStream out, String name, long size) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setLevel(9);
        zip.putNextEntry(new ZipEntry(name));
        byte[] chunk = new byte[1 << 20];
        for (long left = size; left > 0; left -= chunk.length) {
            zip.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
        zip.closeEntry();
        zip.finish();
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static byte[] classBytes() throws IOException {
        Path classes = Sources.compile("bounds-boot", Map.of("com.acme.App", "package com.acme; public class App { }"));
        return Files.readAllBytes(classes.resolve("com/acme/App.class"));
    }
}
