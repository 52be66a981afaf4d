package io.livepatch4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.cli.support.Sources;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lp4j build on artifacts as they are deployed (Spring Boot jar and WAR, WAR, folder of jars, class
 * path), --closure, and the report: grouped, in Java syntax, within 80 columns, and as JSON.
 */
class BuildArtifactsTest {

    static final String APP = "package app; public class Main { public static String run() { return lib.Util.greet(); } }";
    static final String LIB_V1 = "package lib; public class Util { public static String greet() { return \"1\"; } }";
    static final String LIB_V2 = "package lib; public class Util { public static String greet() { return suffix(\"2\"); }"
        + " private static String suffix(String source) { return source + \"!\"; } }";

    /** The entries of a folder of class files, under {@code prefix}. */
    static Map<String, byte[]> entries(String prefix, Path classes) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.put(prefix + classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
        }
        return out;
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A library jar as Maven writes it, with pom.properties. */
    static byte[] library(String libSource, String version) throws IOException {
        Map<String, byte[]> e = entries("", Sources.compile("lib" + version, Map.of("lib.Util", libSource)));
        e.put("META-INF/maven/com.acme/util/pom.properties", ("groupId=com.acme\nartifactId=util\nversion=" + version + "\n")
            .getBytes(StandardCharsets.UTF_8));
        return zip(e);
    }

    static Path app() {
        Path both = Sources.compile("app", Map.of("app.Main", APP, "lib.Util", LIB_V1));
        try {
            Files.delete(both.resolve("lib/Util.class"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return both;
    }

    /** A Spring Boot jar (or executable WAR: classesDir WEB-INF/classes, libDir WEB-INF/lib-provided). */
    static Path deployed(Path dir, String name, String classesDir, String libDir, String lib, String version) throws IOException {
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
        e.putAll(entries(classesDir, app()));
        e.put(libDir + "util-" + version + ".jar", library(lib, version));
        Path p = dir.resolve(name);
        Files.write(p, zip(e));
        return p;
    }

    @Test
    void aLibraryUpgradedInsideASpringBootJarIsFoundAndPatched() throws IOException {
        Path dir = Files.createTempDirectory("lp4j-boot");
        Path old = deployed(dir, "old.jar", "BOOT-INF/classes/", "BOOT-INF/lib/", LIB_V1, "1.0");
        Path neu = deployed(dir, "new.jar", "BOOT-INF/classes/", "BOOT-INF/lib/", LIB_V2, "1.0.1");
        Path out = dir.resolve("p.lp4j");
        Cli.Result r = Cli.run("build", "--old", old.toString(), "--new", neu.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("com.acme:util 1.0 -> 1.0.1"), r.toString());
        assertTrue(r.out().contains("PATCHABLE (1)\n  lib.Util\n    in BOOT-INF/lib/util-1.0.1.jar"), r.toString());
        assertTrue(r.out().contains("changed  public static String greet()  (line 1)"), r.toString());
        assertTrue(r.out().contains("added    private static String suffix(String)  (line 1)"),
            "compiled without -g: types, no parameter names\n" + r);
        assertTrue(Files.exists(out));
        assertFitsEightyColumns(r.out());
    }

    @Test
    void aWarAndAnExecutableWarWithLibProvidedAreRead() throws IOException {
        Path dir = Files.createTempDirectory("lp4j-war");
        for (String libDir : new String[] {"WEB-INF/lib/", "WEB-INF/lib-provided/"}) {
            Path old = deployed(dir, "old.war", "WEB-INF/classes/", libDir, LIB_V1, "1.0");
            Path neu = deployed(dir, "new.war", "WEB-INF/classes/", libDir, LIB_V2, "1.1");
            Cli.Result r = Cli.run("build", "--old", old.toString(), "--new", neu.toString(), "--dry-run");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("1 patchable") && r.out().contains("in " + libDir + "util-1.1.jar"), r.toString());
        }
    }

    @Test
    void aFolderOfJarsAndAClassPathAreRead() throws IOException {
        Path dir = Files.createTempDirectory("lp4j-dirs");
        Path oldDir = Files.createDirectories(dir.resolve("old"));
        Path newDir = Files.createDirectories(dir.resolve("new"));
        Files.write(oldDir.resolve("app.jar"), zip(entries("", app())));
        Files.write(newDir.resolve("app.jar"), zip(entries("", app())));
        Files.write(oldDir.resolve("util-1.0.jar"), library(LIB_V1, "1.0"));
        Files.write(newDir.resolve("util-1.1.jar"), library(LIB_V2, "1.1"));
        Cli.Result folders = Cli.run("build", "--old", oldDir.toString(), "--new", newDir.toString(), "--dry-run");
        assertEquals(0, folders.exit(), folders.toString());
        assertTrue(folders.out().contains("1 patchable"), folders.toString());
        Cli.Result cp = Cli.run("build", "--old", app() + File.pathSeparator + oldDir.resolve("util-1.0.jar"),
            "--new", app() + File.pathSeparator + newDir.resolve("util-1.1.jar"), "--dry-run");
        assertEquals(0, cp.exit(), cp.toString());
        assertTrue(cp.out().contains("com.acme:util 1.0 -> 1.1"), cp.toString());
    }

    @Test
    void whatIsNotAnArtifactIsAUsageErrorThatNamesIt() throws IOException {
        Path junk = Files.createTempDirectory("lp4j-junk").resolve("app.jar");
        Files.writeString(junk, "hello");
        Cli.Result r = Cli.run("build", "--old", junk.toString(), "--new", junk.toString(), "--dry-run");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().startsWith("lp4j: " + junk + " is not a jar, WAR or zip file"), r.toString());
    }

    @Test
    void closureAddsTheChangedClassThatTheSelectedCodeNeedsAndSaysWhy() {
        Path v1 = Sources.compile("c1", Map.of(
            "p.Fix", "package p; public class Fix { public String f() { return \"a\"; } }",
            "p.Codec", "package p; public class Codec { public static String enc(String s) { return s; } }"));
        Path v2 = Sources.compile("c2", Map.of(
            "p.Fix", "package p; public class Fix { public String f() { return Codec.safe(\"a\"); } }",
            "p.Codec", "package p; public class Codec { public static String enc(String s) { return s; }"
                + " static String safe(String s) { return s.strip(); } }"));
        Cli.Result plain = Cli.run("build", "--old", v1.toString(), "--new", v2.toString(), "--only", "p.Fix", "--dry-run");
        assertTrue(plain.out().contains("[missing-member]") && plain.out().replaceAll("\\s+", " ")
            .contains("include p.Codec (--only p.Codec, or --closure)"), plain.toString());
        Cli.Result closed = Cli.run("build", "--old", v1.toString(), "--new", v2.toString(), "--only", "p.Fix",
            "--closure", "--dry-run");
        assertEquals(0, closed.exit(), closed.toString());
        assertFalse(closed.out().contains("REFUSED"), closed.toString());
        assertTrue(closed.out().replaceAll("\\s+", " ").contains("p.Codec included: --closure: p.Fix uses static "
            + "String safe(String), which the new build adds to it"), closed.toString());
    }

    @Test
    void jsonGivesEachClassItsStatusChangesAndRefusalsWithReasonCodes() {
        Path v1 = Sources.compile("j1", Map.of(
            "p.Ok", "package p; public class Ok { private int n; public int f() { return 1; } }",
            "p.Bad", "package p; public class Bad { }"));
        Path v2 = Sources.compile("j2", Map.of(
            "p.Ok", "package p; public class Ok { private int n; private long hits; public int f() { hits++; return 2; } }",
            "p.Bad", "package p; public class Bad extends Thread { }"));
        Cli.Result r = Cli.run("build", "--old", v1.toString(), "--new", v2.toString(), "--json", "-o", "/tmp/never.lp4j");
        assertEquals(1, r.exit(), r.toString());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(1, json.get("format").getAsInt());
        assertEquals(1, json.getAsJsonObject("summary").get("patchable").getAsInt());
        JsonArray classes = json.getAsJsonArray("classes");
        JsonObject bad = find(classes, "p.Bad");
        assertEquals("refused", bad.get("status").getAsString());
        JsonObject refusal = bad.getAsJsonArray("refusals").get(0).getAsJsonObject();
        assertEquals("hierarchy-changed", refusal.get("code").getAsString());
        assertEquals("p.Bad", refusal.get("class").getAsString());
        assertTrue(refusal.get("reason").getAsString().startsWith("its superclass changed"), refusal.toString());
        JsonObject ok = find(classes, "p.Ok");
        assertEquals("patchable", ok.get("status").getAsString());
        JsonObject field = null;
        for (var c : ok.getAsJsonArray("changes")) {
            if (c.getAsJsonObject().get("kind").getAsString().equals("FIELD_ADDED")) {
                field = c.getAsJsonObject();
            }
        }
        assertEquals("private long hits", field.get("java").getAsString());
        assertTrue(field.get("note").getAsString().startsWith("shadow field"), field.toString());
        assertFalse(json.getAsJsonObject("patch").get("built").getAsBoolean());
    }

    private static JsonObject find(JsonArray classes, String name) {
        for (var c : classes) {
            if (c.getAsJsonObject().get("name").getAsString().equals(name)) {
                return c.getAsJsonObject();
            }
        }
        throw new AssertionError(name + " not in " + classes);
    }

    /** Every line fits 80 columns, unless it is one word (a class name) that cannot be broken. */
    static void assertFitsEightyColumns(String text) {
        for (String line : text.split("\n")) {
            assertTrue(line.length() <= 80 || !line.strip().contains(" "), "wider than 80 columns:\n" + line);
        }
    }
}
