package io.livepatch4j.patch.build;

import io.livepatch4j.patch.Javac;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Builds reads every kind of deployed artifact, pairs upgraded libraries by identity, and bounds what it reads. */
class BuildsTest {

    static final Map<String, byte[]> APP = Map.of("app.Main", Javac.compileAll(Map.of(
        "app.Main", "package app; public class Main { public static String run() { return lib.Util.greet(); } }",
        "lib.Util", "package lib; public class Util { public static String greet() { return \"\"; } }")).get("app.Main"));
    static final Map<String, byte[]> LIB1 = Javac.compileAll(Map.of(
        "lib.Util", "package lib; public class Util { public static String greet() { return \"1\"; } }"));
    static final Map<String, byte[]> LIB2 = Javac.compileAll(Map.of(
        "lib.Util", "package lib; public class Util { public static String greet() { return \"2\"; } }"));

    /** A jar's bytes: entry name to content. */
    static byte[] jar(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** Class files under a prefix ({@code BOOT-INF/classes/}), as jar entries. */
    static Map<String, byte[]> classes(String prefix, Map<String, byte[]> classes) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        classes.forEach((n, b) -> entries.put(prefix + n.replace('.', '/') + ".class", b));
        return entries;
    }

    /** A library jar with its Maven pom.properties, as the Maven jar plugin writes it. */
    static byte[] library(String group, String artifact, String version, Map<String, byte[]> classes) {
        Map<String, byte[]> entries = classes("", classes);
        entries.put("META-INF/maven/" + group + "/" + artifact + "/pom.properties", ("groupId=" + group + "\nartifactId="
            + artifact + "\nversion=" + version + "\n").getBytes(StandardCharsets.UTF_8));
        return jar(entries);
    }

    /** A Spring Boot executable jar: the launcher at the top, the application and its libraries under BOOT-INF. */
    static Path bootJar(Path dir, String name, String libVersion, Map<String, byte[]> lib) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMain-Class: org.springframework.boot.loader.JarLauncher\n"
            .getBytes(StandardCharsets.UTF_8));
        entries.putAll(classes("BOOT-INF/classes/", APP));
        entries.put("BOOT-INF/lib/util-" + libVersion + ".jar", library("com.acme", "util", libVersion, lib));
        Path p = dir.resolve(name);
        Files.write(p, jar(entries));
        return p;
    }

    @Test
    void aSpringBootJarsClassesAndNestedLibrariesAreRead() throws IOException {
        Path dir = Files.createTempDirectory("lp4j-boot");
        Builds.Build b = Builds.readBuild(bootJar(dir, "app.jar", "1.0", LIB1));
        assertArrayEquals(APP.get("app.Main"), b.classes().get("app.Main"));
        assertArrayEquals(LIB1.get("lib.Util"), b.classes().get("lib.Util"));
        assertEquals("BOOT-INF/lib/util-1.0.jar", b.origins().get("lib.Util"));
        assertEquals(List.of(new Builds.Library("BOOT-INF/lib/util-1.0.jar", "com.acme:util", "1.0", 1)), b.libraries());
        assertTrue(b.resources().containsKey("[com.acme:util]!/META-INF/maven/com.acme/util/pom.properties"),
            b.resources().keySet().toString());
    }

    @Test
    void anUpgradedLibraryWhoseFileNameChangedIsPairedByItsMavenIdentity() throws IOException {
        Path dir = Files.createTempDirectory("lp4j-boot");
        Builds.Build old = Builds.readBuild(bootJar(dir, "old.jar", "2.13.2", LIB1));
        Builds.Build neu = Builds.readBuild(bootJar(dir, "new.jar", "2.13.2.1", LIB2));
        List<Builds.LibraryPair> pairs = Builds.pair(old, neu);
        assertEquals(1, pairs.size(), pairs.toString());
        assertEquals("upgraded", pairs.get(0).status());
        assertEquals("com.acme:util 2.13.2 -> 2.13.2.1 (BOOT-INF/lib/util-2.13.2.jar -> BOOT-INF/lib/util-2.13.2.1.jar)",
            pairs.get(0).describe());
        PatchBuilder.Report r = PatchBuilder.build(old, neu, new PatchBuilder.Options("t", null, null, "test"));
        assertNotNull(r.patch(), r.refusals().toString());
        assertEquals("lib.Util", r.patch().classes().get(0).name(), "the upgraded library's changed class is patched");
        assertTrue(r.notCarried().stream().noneMatch(n -> n.subject().contains("util-")),
            "the renamed jar is not a removed and an added resource: " + r.notCarried());
        assertEquals(List.of("com.acme:util"), r.notCarried().stream().map(n -> n.subject()).toList(),
            "the library's version metadata is one entry: " + r.notCarried());
        assertTrue(r.notCarried().get(0).what().contains("from 2.13.2 to 2.13.2.1"), r.notCarried().toString());
    }

    @Test
    void aWarAndSpringBootsExecutableWarWithLibProvidedAreRead() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("index.html", "<html/>".getBytes(StandardCharsets.UTF_8));
        entries.putAll(classes("WEB-INF/classes/", APP));
        entries.put("WEB-INF/lib-provided/util-1.0.jar", library("com.acme", "util", "1.0", LIB1));
        Path war = Files.createTempDirectory("lp4j-war").resolve("app.war");
        Files.write(war, jar(entries));
        Builds.Build b = Builds.readBuild(war);
        assertEquals(2, b.classes().size(), b.classes().keySet().toString());
        assertEquals("WEB-INF/lib-provided/util-1.0.jar", b.origins().get("lib.Util"));
        assertEquals("WEB-INF/classes", b.origins().get("app.Main"));
    }

    @Test
    void aFolderOfJarsAFolderOfClassesAndAClassPathAreRead() throws IOException {
        Path jars = Files.createTempDirectory("lp4j-jars");
        Files.write(jars.resolve("app-1.0.jar"), jar(classes("", APP)));
        Files.write(jars.resolve("util-1.0.jar"), library("com.acme", "util", "1.0", LIB1));
        assertEquals(2, Builds.readBuild(jars).classes().size());

        Path classesDir = Files.createTempDirectory("lp4j-classes");
        Files.createDirectories(classesDir.resolve("app"));
        Files.write(classesDir.resolve("app/Main.class"), APP.get("app.Main"));
        Builds.Build cp = Builds.readArtifact(classesDir + File.pathSeparator + jars.resolve("util-1.0.jar"));
        assertEquals(2, cp.classes().size(), cp.classes().keySet().toString());
        assertEquals("com.acme:util", cp.libraries().get(0).identity());
    }

    @Test
    void aClassInTwoPlacesIsReportedWithTheCopyTheJvmLoadsFirst() throws IOException {
        Path dir = Files.createTempDirectory("lp4j-dup");
        Path a = dir.resolve("a.jar");
        Path b = dir.resolve("b.jar");
        Files.write(a, jar(classes("", LIB1)));
        Files.write(b, jar(classes("", LIB2)));
        Builds.Build cp = Builds.readArtifact(a + File.pathSeparator + b);
        assertEquals(1, cp.duplicates().size());
        Builds.Duplicate d = cp.duplicates().get(0);
        assertEquals(List.of(a.toString(), b.toString()), d.origins());
        assertTrue(!d.sameBytes());
        assertArrayEquals(LIB1.get("lib.Util"), cp.classes().get("lib.Util"), "the first in class path order is the one read");
    }

    @Test
    void nestedJarsAreReadInTheOrderOfClasspathIdxInAJarAndExploded() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(classes("BOOT-INF/classes/", APP));
        entries.put("BOOT-INF/lib/a-1.0.jar", jar(classes("", LIB1)));
        entries.put("BOOT-INF/lib/b-1.0.jar", jar(classes("", LIB2)));
        entries.put("BOOT-INF/classpath.idx", "- \"BOOT-INF/lib/b-1.0.jar\"\n- \"BOOT-INF/lib/a-1.0.jar\"\n"
            .getBytes(StandardCharsets.UTF_8));
        Path dir = Files.createTempDirectory("lp4j-idx");
        Path boot = dir.resolve("app.jar");
        Files.write(boot, jar(entries));
        Path exploded = Files.createDirectories(dir.resolve("exploded"));
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            Files.createDirectories(exploded.resolve(e.getKey()).getParent());
            Files.write(exploded.resolve(e.getKey()), e.getValue());
        }
        for (Path p : List.of(boot, exploded)) {
            Builds.Build b = Builds.readBuild(p);
            assertEquals(List.of("BOOT-INF/lib/b-1.0.jar", "BOOT-INF/lib/a-1.0.jar"), b.duplicates().get(0).origins(), p.toString());
            assertArrayEquals(LIB2.get("lib.Util"), b.classes().get("lib.Util"), "the JVM loads b's copy: " + p);
        }
    }

    @Test
    void whatIsNotAReadableArtifactIsRefusedWithItsName() throws IOException {
        Path dir = Files.createTempDirectory("lp4j-bad");
        Path text = dir.resolve("notes.jar");
        Files.writeString(text, "not a jar");
        IOException e = assertThrows(IOException.class, () -> Builds.readBuild(text));
        assertTrue(e.getMessage().contains("notes.jar is not a jar, WAR or zip file"), e.getMessage());
        IOException missing = assertThrows(IOException.class, () -> Builds.readArtifact(text + File.pathSeparator + dir.resolve("gone.jar")));
        assertTrue(missing.getMessage().contains("the class path element " + dir.resolve("gone.jar") + " "), missing.getMessage());
        Map<String, byte[]> entries = new LinkedHashMap<>(classes("BOOT-INF/classes/", APP));
        entries.put("BOOT-INF/lib/broken-1.0.jar", "garbage".getBytes(StandardCharsets.UTF_8));
        Path boot = dir.resolve("boot.jar");
        Files.write(boot, jar(entries));
        IOException nested = assertThrows(IOException.class, () -> Builds.readBuild(boot));
        assertTrue(nested.getMessage().contains("BOOT-INF/lib/broken-1.0.jar is not a readable jar"), nested.getMessage());
    }

    @Test
    void anEntryLargerThanTheLimitIsRefusedWhateverItsHeaderClaims() {
        byte[] big = new byte[10_000];
        IOException e = assertThrows(IOException.class, () -> Builds.bounded(new ByteArrayInputStream(big), 4096, "x.jar!/a"));
        assertTrue(e.getMessage().startsWith("refused: x.jar!/a is larger than"), e.getMessage());
    }

}
