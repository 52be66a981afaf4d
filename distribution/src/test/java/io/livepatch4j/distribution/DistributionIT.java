package io.livepatch4j.distribution;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livepatch4j.cli.support.ChildJvm;
import io.livepatch4j.cli.support.Fixture;
import io.livepatch4j.cli.support.Sources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distribution as an operator gets it: livepatch4j-VERSION.tar.gz unpacked into a new folder,
 * bin/lp4j run through a link from yet another folder, building a patch and applying it to a
 * running JVM, with the agent of the distribution (given with -javaagent, or loaded by lp4j).
 */
class DistributionIT {

    private static final Fixture FIX = Fixture.blocking("dist");
    private static final String VERSION = System.getProperty("lp4j.version");

    private static Path home;
    private static Path lp4j;
    private static Path work;
    private static Path v1;
    private static Path v2;

    @BeforeAll
    static void unpack() throws Exception {
        Path into = Files.createTempDirectory("lp4j-dist");
        Process tar = new ProcessBuilder("tar", "xzf", System.getProperty("lp4j.distribution"), "-C", into.toString())
            .inheritIO().start();
        assertEquals(0, tar.waitFor(), "tar unpacks the distribution");
        home = into.resolve("livepatch4j-" + VERSION);
        // Run from a folder that is neither the distribution nor the checkout, through a link.
        work = Files.createTempDirectory("lp4j-elsewhere");
        lp4j = Files.createSymbolicLink(work.resolve("lp4j"), home.resolve("bin/lp4j"));
        v1 = Sources.compile("v1", FIX.v1Build());
        v2 = Sources.compile("v2", FIX.v2Build());
    }

    @Test
    void itHoldsTheLauncherTheAgentTheApiAndTheDocs() throws Exception {
        assertTrue(Files.isExecutable(home.resolve("bin/lp4j")), "bin/lp4j is executable");
        assertTrue(Files.isRegularFile(home.resolve("agent/livepatch4j-agent.jar")), "the agent");
        assertTrue(Files.isRegularFile(home.resolve("api/livepatch4j-quiescence-" + VERSION + ".jar")), "the Quiescence API");
        assertTrue(Files.isRegularFile(home.resolve("docs/cli.md")) && Files.isRegularFile(home.resolve("README.md")), "the docs");
        try (var lib = Files.list(home.resolve("lib"))) {
            List<String> jars = lib.map(p -> p.getFileName().toString()).toList();
            assertTrue(jars.contains("livepatch4j-cli-" + VERSION + ".jar") && jars.stream().anyMatch(j -> j.startsWith("picocli-")),
                "lp4j and its libraries: " + jars);
            assertFalse(jars.stream().anyMatch(j -> j.contains("agent")), "the agent is not on lp4j's class path: " + jars);
        }
        Result version = run("--version");
        assertEquals(0, version.exit(), version.toString());
        assertTrue(version.out().startsWith("lp4j " + VERSION + " (livepatch4j)"), version.toString());
    }

    @Test
    void lp4jFromTheUnpackedDistributionPatchesAJvmStartedWithItsAgent() throws Exception {
        Result built = run("build", "--old", v1.toString(), "--new", v2.toString(), "-o", "fix.lp4j", "--id", "dist-fix");
        assertEquals(0, built.exit(), built.toString());
        assertTrue(Files.isRegularFile(work.resolve("fix.lp4j")), "written in the folder lp4j ran in");
        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main",
            "-javaagent:" + home.resolve("agent/livepatch4j-agent.jar") + "=packages=fixture")) {
            String pid = String.valueOf(jvm.pid());
            Result applied = run("apply", "--pid", pid, "fix.lp4j", "--wait", "--json");
            assertEquals(0, applied.exit(), applied.toString());
            JsonObject a = JsonParser.parseString(applied.out()).getAsJsonObject();
            assertEquals(1, a.get("generation").getAsLong(), applied.toString());
            assertEquals("complete", a.getAsJsonObject("transition").get("state").getAsString(), applied.toString());
            jvm.skipOutput();
            assertEquals("OUT v2", jvm.awaitLine(l -> l.startsWith("OUT"), 10));

            Result status = run("status", "--pid", pid, "--json");
            assertEquals(0, status.exit(), status.toString());
            JsonObject s = JsonParser.parseString(status.out()).getAsJsonObject();
            assertEquals(VERSION, s.get("agentVersion").getAsString(), "the distribution's agent");
            assertEquals(1, s.get("currentGeneration").getAsLong());

            Result back = run("rollback", "--pid", pid, "--wait");
            assertEquals(0, back.exit(), back.toString());
            assertTrue(back.out().contains("G1 -> G2"), back.toString());
            jvm.skipOutput();
            assertEquals("OUT v1", jvm.awaitLine(l -> l.startsWith("OUT"), 10));
        }
    }

    @Test
    void lp4jLoadsTheDistributionsAgentIntoAJvmThatHasNone() throws Exception {
        Path dir = Files.createTempDirectory("lp4j-dist-attach");
        Result built = run("build", "--old", v1.toString(), "--new", v2.toString(), "-o", dir.resolve("fix.lp4j").toString());
        assertEquals(0, built.exit(), built.toString());
        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main")) {
            Result applied = run("apply", "--pid", String.valueOf(jvm.pid()), dir.resolve("fix.lp4j").toString(), "--wait");
            assertEquals(0, applied.exit(), applied.toString());
            assertTrue(applied.out().contains("loading it (attach mode"), applied.toString());
            assertFalse(applied.err().contains("lp4j:"), applied.toString());
            jvm.skipOutput();
            assertEquals("OUT v2", jvm.awaitLine(l -> l.startsWith("OUT"), 10));
        }
    }

    /**
     * Review of issue 15: on a JRE (a runtime without jdk.attach) every command that reaches a JVM
     * died with "Exception in thread main java.lang.NoClassDefFoundError: com/sun/tools/attach/..."
     * and its stack trace, exit 1. It says what it needs, in one line, exit 2; --json too.
     */
    @Test
    void onAJreLp4jSaysItNeedsAJdkInOneLine() throws Exception {
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(jlink), "a JDK with jlink runs the test");
        Path jre = Files.createTempDirectory("lp4j-jre").resolve("jre");
        Process p = new ProcessBuilder(jlink.toString(), "--add-modules", "java.base,java.logging,java.management,java.instrument",
            "--output", jre.toString(), "--no-header-files", "--no-man-pages").inheritIO().start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "jlink made a runtime without jdk.attach");
        for (String command : List.of("list", "status")) {
            Result r = run(Map.of("JAVA_HOME", jre.toString()), command);
            assertEquals(2, r.exit(), r.toString());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r);
            assertEquals(1, r.err().lines().count(), r.toString());
            assertTrue(r.err().startsWith("lp4j: ") && r.err().contains("jdk.attach") && r.err().contains("JDK"), r.toString());
        }
        Result json = run(Map.of("JAVA_HOME", jre.toString()), "list", "--json");
        assertEquals(2, json.exit(), json.toString());
        assertEquals(2, JsonParser.parseString(json.out()).getAsJsonObject().getAsJsonObject("error").get("exitCode").getAsInt());
    }

    /**
     * Review of issue 15: the tarball took its files' modes from the build's work tree, so a checkout
     * made with umask 002 (or a file chmod g+w there) shipped group-writable docs and folders, which
     * tar as root restores. Every entry is writable by its owner only; bin/lp4j alone is executable.
     */
    @Test
    void noFileInTheTarballIsWritableByOthersAndOnlyTheLauncherIsExecutable() throws Exception {
        Process p = new ProcessBuilder("tar", "tvzf", System.getProperty("lp4j.distribution")).redirectErrorStream(true).start();
        List<String> entries = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.waitFor());
        assertTrue(entries.size() > 10, entries.toString());
        for (String e : entries) {
            String mode = e.substring(0, 10);
            String name = e.substring(e.lastIndexOf(' ') + 1);
            assertTrue(mode.charAt(5) != 'w' && mode.charAt(8) != 'w', "writable by others: " + e);
            if (mode.charAt(0) == '-') {
                assertEquals(name.endsWith("/bin/lp4j") ? "-rwxr-xr-x" : "-rw-r--r--", mode, e);
            } else {
                assertEquals("drwxr-xr-x", mode, e);
            }
        }
    }

    private record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** bin/lp4j through its link, in the work folder, on the JDK that runs this test (JAVA_HOME). */
    private static Result run(String... args) throws Exception {
        return run(Map.of("JAVA_HOME", System.getProperty("java.home")), args);
    }

    /** bin/lp4j through its link, in the work folder, with {@code env} added to its environment. */
    private static Result run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(lp4j.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("lp4j-out", ".txt");
        Path err = Files.createTempFile("lp4j-err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectOutput(out.toFile())
            .redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "lp4j ended");
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
