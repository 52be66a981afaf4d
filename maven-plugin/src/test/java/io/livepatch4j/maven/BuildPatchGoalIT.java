package io.livepatch4j.maven;

import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real Maven builds (the machine's mvn, offline, on the local repository where the invoker plugin
 * installed this build of the plugin) of a small service's v2, each building a patch from its v1 as
 * a CI job would: from the v1 jar as a file, from v1's coordinates through the project's repository,
 * and a v2 whose change cannot be patched, which must fail the build with the report's reason.
 */
class BuildPatchGoalIT {

    private static final String V1 = """
        package com.example.greeting;
        public class Greeter {
            public String greet(String name) { return "hello " + name; }
        }
        """;
    private static final String V2 = """
        package com.example.greeting;
        public class Greeter {
            public String greet(String name) { return "hello, " + name + "!"; }
        }
        """;
    /** A changed superclass: no patch can honour it (refused at build, as 'lp4j build' refuses it). */
    private static final String V2_NEW_SUPERCLASS = """
        package com.example.greeting;
        public class Greeter extends java.util.ArrayList<String> {
            public String greet(String name) { return "hello, " + name + "!"; }
        }
        """;

    @TempDir
    static Path work;
    static Path v1Jar;
    static Path fileRepository;

    @BeforeAll
    static void buildV1() throws IOException {
        v1Jar = jar(work.resolve("v1"), V1);
        // v1 as a release in a repository the project names (file:), as a CI job finds it in its company's.
        fileRepository = work.resolve("releases");
        Path dir = Files.createDirectories(fileRepository.resolve("io/livepatch4j/it/sample/greeting/1.0"));
        Files.copy(v1Jar, dir.resolve("greeting-1.0.jar"));
        Files.writeString(dir.resolve("greeting-1.0.pom"), """
            <project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
              <groupId>io.livepatch4j.it.sample</groupId><artifactId>greeting</artifactId><version>1.0</version></project>
            """);
        // A copy an earlier run left in the local repository would be found without the project's repository.
        Path cached = Path.of(System.getProperty("lp4j.maven.repo.local"), "io/livepatch4j/it/sample");
        if (Files.exists(cached)) {
            try (Stream<Path> files = Files.walk(cached)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    @Test
    void buildsThePatchFromTheV1JarToTheProjectsBuild() throws Exception {
        Path project = project("from-file", V2, "<oldFile>" + v1Jar + "</oldFile>");
        Run run = mvn(project, "install");
        assertEquals(0, run.exit, run.output);
        Patch patch = readPatch(project.resolve("target/greeting-2.0.lp4j"));
        assertEquals(List.of("com.example.greeting.Greeter"), patch.classes().stream().map(ClassPatch::name).toList(),
            "the patch changes the class whose method changed");
        assertTrue(patch.compiler().startsWith("livepatch4j "), patch.compiler());
        assertTrue(run.output.contains("PATCHABLE (1)") && run.output.contains("wrote "),
            "the build log has lp4j build's report: " + run.output);
        String json = Files.readString(project.resolve("target/livepatch4j-build.json"));
        assertTrue(json.contains("\"built\": true") && json.contains("greeting-2.0.lp4j"), json);
        Path installed = Path.of(System.getProperty("lp4j.maven.repo.local"),
            "io/livepatch4j/it/sample/greeting/2.0/greeting-2.0.lp4j");
        assertEquals(patch.id(), readPatch(installed).id(), "the patch is attached: install (and deploy) publish it");
    }

    @Test
    void resolvesTheOldBuildFromItsCoordinatesThroughTheProjectsRepositories() throws Exception {
        Path project = project("from-coordinates", V2, "<oldArtifact>io.livepatch4j.it.sample:greeting:1.0</oldArtifact>");
        Run run = mvn(project);
        assertEquals(0, run.exit, run.output);
        Patch patch = readPatch(project.resolve("target/greeting-2.0.lp4j"));
        assertEquals(List.of("com.example.greeting.Greeter"), patch.classes().stream().map(ClassPatch::name).toList());
        assertTrue(run.output.contains("OLD io.livepatch4j.it.sample:greeting:1.0"), "the report names the old build: " + run.output);
    }

    @Test
    void aChangeThatCannotBePatchedFailsTheBuildWithTheReason() throws Exception {
        Path project = project("refused", V2_NEW_SUPERCLASS, "<oldFile>" + v1Jar + "</oldFile>");
        Run run = mvn(project);
        assertNotEquals(0, run.exit, "a refused change fails the build: " + run.output);
        assertTrue(run.output.contains("REFUSED: 1 change(s) in 1 class(es)"), "the report's refusal: " + run.output);
        assertTrue(run.output.contains("com.example.greeting.Greeter"), run.output);
        assertTrue(run.output.contains("livepatch4j: 1 change(s) cannot be patched"),
            "the failure says why, in lp4j build's words: " + run.output);
        assertFalse(Files.exists(project.resolve("target/greeting-2.0.lp4j")), "no patch is written");
        String json = Files.readString(project.resolve("target/livepatch4j-build.json"));
        assertTrue(json.contains("\"built\": false") && json.contains("\"refusals\": ["), json);
    }

    // ---- a sample project and a real Maven run ----

    /** A v2 project whose package phase runs build-patch with {@code old} as its configuration. */
    private static Path project(String name, String greeter, String old) throws IOException {
        Path dir = work.resolve(name);
        Path src = Files.createDirectories(dir.resolve("src/main/java/com/example/greeting"));
        Files.writeString(src.resolve("Greeter.java"), greeter);
        // Plugin versions: those the reactor pins (pom.xml), so they are in the local repository offline.
        Files.writeString(dir.resolve("pom.xml"), """
            <project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
              <groupId>io.livepatch4j.it.sample</groupId><artifactId>greeting</artifactId><version>2.0</version>
              <properties>
                <maven.compiler.release>17</maven.compiler.release>
                <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
              </properties>
              <repositories>
                <repository><id>releases</id><url>%s</url></repository>
              </repositories>
              <build>
                <plugins>
                  <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                  <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version></plugin>
                  <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.5.4</version></plugin>
                  <plugin><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
                  <plugin><artifactId>maven-install-plugin</artifactId><version>3.1.3</version></plugin>
                  <plugin>
                    <groupId>io.livepatch4j</groupId><artifactId>livepatch4j-maven-plugin</artifactId><version>%s</version>
                    <executions><execution><goals><goal>build-patch</goal></goals></execution></executions>
                    <configuration>%s</configuration>
                  </plugin>
                </plugins>
              </build>
            </project>
            """.formatted(fileRepository.toUri(), System.getProperty("lp4j.plugin.version"), old));
        return dir;
    }

    private record Run(int exit, String output) {
    }

    private static Run mvn(Path project) throws IOException, InterruptedException {
        return mvn(project, "package");
    }

    private static Run mvn(Path project, String phase) throws IOException, InterruptedException {
        Path log = project.resolve("build.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("lp4j.maven.home"), "bin", "mvn").toString(),
            "-B", "-o", "-ntp", "-Dmaven.repo.local=" + System.getProperty("lp4j.maven.repo.local"),
            // Offline, a file: repository is still read (the resolver's switch): it stands for the company's.
            "-Daether.offline.protocols=file", phase));
        Process p = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("mvn did not finish in 3 minutes: " + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log));
    }

    /** What 'lp4j inspect' reads. */
    private static Patch readPatch(Path file) throws Exception {
        assertTrue(Files.isRegularFile(file), file + " was written");
        return PatchFormat.read(file);
    }

    private static Path jar(Path dir, String source) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/com/example/greeting")).resolve("Greeter.java");
        Files.writeString(src, source);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--release", "17", "-d", classes.toString(), src.toString());
        assertEquals(0, rc, "v1 compiles");
        Path jar = dir.resolve("greeting-1.0.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
        }
        return jar;
    }
}
