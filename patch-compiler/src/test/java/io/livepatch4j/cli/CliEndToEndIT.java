package io.livepatch4j.cli;

import io.livepatch4j.cli.support.ChildJvm;
import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.cli.support.Fixture;
import io.livepatch4j.cli.support.Sources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lp4j against running JVMs: apply --wait, status, list, rollback; and every kind of bad input,
 * each ending in one line and a non-zero exit with the target JVM unchanged and still serving.
 */
class CliEndToEndIT {

    private static final String V1 = Fixture.BLOCKING_SUBJECT;
    private static final Fixture FIX = Fixture.blocking("e2e");

    private static Path v1;
    private static Path patch;
    private static String agent;

    @BeforeAll
    static void build() throws Exception {
        Fixture.Built built = FIX.build("e2e-fix");
        v1 = built.v1();
        patch = built.patch();
        agent = System.getProperty("lp4j.agent.jar");
    }

    private static Cli.Result lp4j(String... args) {
        return Cli.run(args);
    }

    @Test
    void applyStatusListRollbackOnARunningJvm() throws Exception {
        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main")) {
            String pid = String.valueOf(jvm.pid());
            Cli.Result none = lp4j("status", "--pid", pid);
            assertEquals(3, none.exit(), none.toString());
            assertTrue(none.err().contains("has no livepatch4j agent"), none.toString());

            Cli.Result applied = lp4j("apply", "--pid", pid, patch.toString(), "--wait", "--agent-jar", agent);
            assertEquals(0, applied.exit(), applied.toString());
            assertTrue(applied.out().contains("loading it (attach mode"), applied.toString());
            assertTrue(applied.out().contains("applied patch e2e-fix to JVM " + pid + ": G0 -> G1"), applied.toString());
            assertTrue(applied.out().contains("transition G0 -> G1 (local): complete"), applied.toString());
            jvm.skipOutput();
            assertEquals("OUT v2", jvm.awaitLine(l -> l.startsWith("OUT"), 10));

            Cli.Result status = lp4j("status", "--pid", pid);
            assertEquals(0, status.exit(), status.toString());
            assertTrue(status.out().contains("current generation G1"), status.toString());
            assertTrue(status.out().contains("fixture.Subject: version 1, dispatch direct"), status.toString());
            Cli.Result json = lp4j("status", "--pid", pid, "--json");
            assertTrue(json.out().contains("\"currentGeneration\": 1"), json.toString());
            Cli.Result list = lp4j("list");
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith(pid) && l.contains("yes") && l.contains("G1")), list.toString());

            Cli.Result back = lp4j("rollback", "--pid", pid, "--wait");
            assertEquals(0, back.exit(), back.toString());
            assertTrue(back.out().contains("G1 -> G2"), back.toString());
            jvm.skipOutput();
            assertEquals("OUT v1", jvm.awaitLine(l -> l.startsWith("OUT"), 10));
        }
    }

    @Test
    void patchBuiltAgainstOtherBytesIsRefusedAndTheJvmKeepsServing() throws Exception {
        Path other = Sources.compile("v1-other", Map.of("fixture.Subject", V1.replace("\"v1\"", "\"v1-other\""),
            "fixture.Main", FIX.v1Build().get("fixture.Main")));
        try (ChildJvm jvm = ChildJvm.start(other, "fixture.Main")) {
            Cli.Result r = lp4j("apply", "--pid", String.valueOf(jvm.pid()), patch.toString(), "--agent-jar", agent);
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.err().contains("fixture.Subject: the patch was built against class bytes with SHA-256"), r.toString());
            jvm.skipOutput();
            assertEquals("OUT v1-other", jvm.awaitLine(l -> l.startsWith("OUT"), 10), "unchanged, still serving");
        }
    }

    @Test
    void signedPatchesOnlyWhenTheAgentTrustsKeys() throws Exception {
        Path keys = Files.createTempDirectory("lp4j-keys");
        Path otherKeys = Files.createTempDirectory("lp4j-other-keys");
        assertEquals(0, lp4j("keygen", "-o", keys.resolve("k").toString()).exit());
        assertEquals(0, lp4j("keygen", "-o", otherKeys.resolve("k").toString()).exit());
        Path pub = keys.resolve("k/lp4j-signing.pub");
        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main",
            "-javaagent:" + agent + "=packages=fixture,trustedKeys=" + pub)) {
            String pid = String.valueOf(jvm.pid());
            Cli.Result unsigned = lp4j("apply", "--pid", pid, patch.toString());
            assertEquals(1, unsigned.exit(), unsigned.toString());
            assertTrue(unsigned.err().contains("is unsigned"), unsigned.toString());

            Path foreign = keys.resolve("foreign.lp4j");
            assertEquals(0, lp4j("sign", patch.toString(), "--key", otherKeys.resolve("k/lp4j-signing.key").toString(),
                "-o", foreign.toString()).exit());
            Cli.Result wrong = lp4j("apply", "--pid", pid, foreign.toString());
            assertEquals(1, wrong.exit(), wrong.toString());
            assertTrue(wrong.err().contains("which this JVM's agent does not trust"), wrong.toString());
            jvm.skipOutput();
            assertEquals("OUT v1", jvm.awaitLine(l -> l.startsWith("OUT"), 10), "unchanged, still serving");

            Path signed = keys.resolve("signed.lp4j");
            assertEquals(0, lp4j("sign", patch.toString(), "--key", keys.resolve("k/lp4j-signing.key").toString(),
                "-o", signed.toString()).exit());
            assertTrue(lp4j("inspect", signed.toString()).out().contains("claims a signature (Ed25519)"),
                "without a key the signature is only claimed");
            assertTrue(lp4j("inspect", signed.toString(), "--key", keys.resolve("k/lp4j-signing.pub").toString()).out()
                .contains("signed (Ed25519) by key"), "verified with the key");
            Cli.Result other = lp4j("inspect", foreign.toString(), "--key", keys.resolve("k/lp4j-signing.pub").toString());
            assertEquals(1, other.exit(), "a patch another key signed does not verify: " + other);
            assertTrue(other.out().contains("signature NOT verified"), other.toString());
            Cli.Result ok = lp4j("apply", "--pid", pid, signed.toString(), "--wait");
            assertEquals(0, ok.exit(), ok.toString());
            jvm.skipOutput();
            assertEquals("OUT v2", jvm.awaitLine(l -> l.startsWith("OUT"), 10));
        }
    }

    @Test
    void applyLoadsTheAgentWithTrustedKeysSoAJvmPatchedByPidTakesOnlySignedPatches() throws Exception {
        Path keys = Files.createTempDirectory("lp4j-keys");
        assertEquals(0, lp4j("keygen", "-o", keys.resolve("k").toString()).exit());
        Path pub = keys.resolve("k/lp4j-signing.pub");
        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main")) {
            String pid = String.valueOf(jvm.pid());
            // The first apply loads the agent with the key: already this unsigned patch is refused.
            Cli.Result unsigned = lp4j("apply", "--pid", pid, patch.toString(), "--agent-jar", agent,
                "--trusted-keys", pub.toString());
            assertEquals(1, unsigned.exit(), unsigned.toString());
            assertTrue(unsigned.err().contains("is unsigned"), unsigned.toString());
            Cli.Result status = lp4j("status", "--pid", pid);
            assertTrue(status.out().contains("trust: only patches signed by key "), status.toString());
            Path signed = keys.resolve("signed.lp4j");
            assertEquals(0, lp4j("sign", patch.toString(), "--key", keys.resolve("k/lp4j-signing.key").toString(),
                "-o", signed.toString()).exit());
            Cli.Result again = lp4j("apply", "--pid", pid, signed.toString(), "--wait", "--trusted-keys", pub.toString());
            assertEquals(0, again.exit(), again.toString());
            assertTrue(again.out().contains("already runs the agent"), "a second --trusted-keys is not applied: " + again);
            jvm.skipOutput();
            assertEquals("OUT v2", jvm.awaitLine(l -> l.startsWith("OUT"), 10));
        }
    }

    @Test
    void truncatedPatchIsRefusedBeforeTouchingTheJvm() throws Exception {
        Path cut = Files.createTempDirectory("lp4j-cut").resolve("cut.lp4j");
        byte[] all = Files.readAllBytes(patch);
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main")) {
            Cli.Result r = lp4j("apply", "--pid", String.valueOf(jvm.pid()), cut.toString(), "--agent-jar", agent);
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.err().contains("cut.lp4j") && r.err().contains("truncated or corrupted"), r.toString());
            assertTrue(lp4j("status", "--pid", String.valueOf(jvm.pid())).err().contains("has no livepatch4j agent"),
                "the agent was not even loaded");
        }
    }

    @Test
    void pidThatIsNotAJvmOrNoProcessAtAll() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            Cli.Result r = lp4j("apply", "--pid", String.valueOf(sleep.pid()), patch.toString(), "--agent-jar", agent);
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.err().contains("is not a Java VM"), r.toString());
        } finally {
            sleep.destroyForcibly();
        }
        Cli.Result gone = lp4j("status", "--pid", "2147483000");
        assertEquals(3, gone.exit(), gone.toString());
        assertTrue(gone.err().contains("there is no process with pid 2147483000"), gone.toString());
    }

    @Test
    void jvmOfAnotherUserIsRefusedNamingItsOwner() throws Exception {
        // Only root can start lp4j as another user here; as root every JVM is "ours".
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
            && Files.isExecutable(Path.of("/usr/sbin/runuser")), "needs root and runuser to act as another user");
        // 'nobody' may not traverse the checkout (a clone under a mktemp -d directory is 0700): it runs a
        // copy of lp4j.jar from a directory everyone can read.
        Path shared = Files.createTempDirectory(Path.of("/tmp"), "lp4j-other-user");
        Path jar = shared.resolve("lp4j.jar");
        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main")) {
            Files.copy(Path.of(System.getProperty("lp4j.jar")), jar);
            Files.setPosixFilePermissions(jar, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
            Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Process p = new ProcessBuilder("/usr/sbin/runuser", "-u", "nobody", "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "status", "--pid", String.valueOf(jvm.pid())).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(3, p.waitFor(), out);
            assertTrue(out.contains("belongs to user root; run lp4j as that user"), out);
        } finally {
            Files.deleteIfExists(jar);
            Files.deleteIfExists(shared);
        }
    }

    @Test
    void jvmThatExitsMidApplyIsReported() throws Exception {
        // A unit of work that never ends holds the global strategy's barrier; the JVM is killed meanwhile.
        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main", "-Dfixture.block=true",
            "-javaagent:" + agent + "=packages=fixture,globalTimeoutMillis=60000")) {
            CompletableFuture<Cli.Result> apply = CompletableFuture.supplyAsync(() ->
                lp4j("apply", "--pid", String.valueOf(jvm.pid()), patch.toString(), "--strategy", "global"));
            Thread.sleep(1500);
            assertTrue(!apply.isDone(), () -> "the global strategy waits for the unit of work in flight: " + apply.join() + apply.join().err() + apply.join().out());
            jvm.kill();
            Cli.Result r = apply.get();
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.err().contains("exited"), "the line says the JVM exited:\n" + r);
        }
    }
}
