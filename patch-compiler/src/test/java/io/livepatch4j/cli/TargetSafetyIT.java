package io.livepatch4j.cli;

import io.livepatch4j.cli.support.ChildJvm;
import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.cli.support.Fixture;
import io.livepatch4j.cli.support.Sources;
import io.livepatch4j.control.ControlSockets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lp4j never harms or is steered by a process it was not pointed at (issue 14, items 1, 5 and 6):
 * a process that is not a JVM, or a JVM that would die of SIGQUIT, is sent nothing; root's lp4j
 * goes to the JVM whose pid it was given, whatever that JVM's owner publishes or plants in /tmp.
 */
class TargetSafetyIT {

    private static final String V1 = Fixture.SUBJECT_V1;
    private static final Fixture FIX = Fixture.subject("safety", V1, V1.replace("\"v1\"", "\"v2\""), "v1", "v2");

    /** Readable by nobody: the classes, the agent and the patch (a clone may sit in a 0700 directory). */
    private static Path shared;
    private static Path v1;
    private static Path patch;
    private static Path agent;

    private static final List<Path> PLANTED = new java.util.ArrayList<>();

    @AfterAll
    static void clean() throws Exception {
        for (Path dir : PLANTED) {
            Files.deleteIfExists(dir.resolve("control.sock"));
            Files.deleteIfExists(dir);
        }
        try (var files = Files.walk(shared)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    @BeforeAll
    static void build() throws Exception {
        shared = Files.createTempDirectory(Path.of("/tmp"), "lp4j-safety");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        v1 = Sources.compile("v1", FIX.v1Build());
        Path v2 = Sources.compile("v2", FIX.v2Build());
        patch = shared.resolve("fix.lp4j");
        Cli.Result r = Cli.run("build", "--old", v1.toString(), "--new", v2.toString(), "-o", patch.toString(), "--id", "safety-fix");
        assertEquals(0, r.exit(), r.toString());
        Path classes = shared.resolve("classes");
        try (var files = Files.walk(v1)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, classes.resolve(v1.relativize(f).toString()));
            }
        }
        v1 = classes;
        agent = Files.copy(Path.of(System.getProperty("lp4j.agent.jar")), shared.resolve("livepatch4j-agent.jar"));
        try (var files = Files.walk(shared)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    @Test
    void aProcessThatIsNotAJvmIsSentNothingAndAnsweredAtOnce() throws Exception {
        // Default SIGQUIT handling: the signal the Attach API sends first would end it.
        Process sleep = new ProcessBuilder("/bin/sh", "-c", "trap - QUIT; exec sleep 60").start();
        try {
            for (String command : List.of("status", "rollback", "apply")) {
                long start = System.nanoTime();
                Cli.Result r = command.equals("apply")
                    ? Cli.run("apply", "--pid", String.valueOf(sleep.pid()), patch.toString(), "--agent-jar", agent.toString())
                    : Cli.run(command, "--pid", String.valueOf(sleep.pid()));
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(3, r.exit(), r.toString());
                assertTrue(r.err().contains("is not a Java VM (no libjvm.so is mapped in it); lp4j sent it nothing"), r.toString());
                assertTrue(millis < 1000, command + " took " + millis + " ms to answer");
                Thread.sleep(100);
                assertTrue(sleep.isAlive(), "lp4j " + command + " killed the process it was pointed at");
            }
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void aJvmThatDoesNotHandleSigquitIsSentNothing() throws Exception {
        // With -Xrs HotSpot handles no SIGQUIT and listens for attach from the start instead; once its
        // /tmp/.java_pid socket is gone (a cleaner of /tmp took it), the Attach API's SIGQUIT would end it.
        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main", "-Xrs")) {
            Path attach = Path.of("/tmp/.java_pid" + jvm.pid());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> Files.exists(attach));
            Files.delete(attach);
            Cli.Result r = Cli.run("apply", "--pid", String.valueOf(jvm.pid()), patch.toString(), "--agent-jar", agent.toString());
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.err().contains("does not handle SIGQUIT"), r.toString());
            Thread.sleep(200);
            jvm.skipOutput();
            assertEquals("OUT v1", jvm.awaitLine(l -> l.startsWith("OUT"), 10), "the -Xrs JVM still runs");
        }
    }

    @Test
    void aStoppedJvmIsReportedAndDoesNotHangLp4j() throws Exception {
        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main", "-javaagent:" + agent)) {
            String pid = String.valueOf(jvm.pid());
            new ProcessBuilder("kill", "-STOP", pid).start().waitFor();
            try {
                Cli.Result status = Cli.run("status", "--pid", pid);
                assertEquals(3, status.exit(), status.toString());
                assertTrue(status.err().contains("is stopped"), status.toString());
                // Its socket accepts connections that are never answered: list gives up on it and goes on.
                long start = System.nanoTime();
                Cli.Result list = Cli.run("list");
                assertEquals(0, list.exit(), list.toString());
                assertTrue((System.nanoTime() - start) / 1_000_000_000 < 20, "lp4j list waited on the stopped JVM");
            } finally {
                new ProcessBuilder("kill", "-CONT", pid).start().waitFor();
            }
            assertEquals(0, Cli.run("status", "--pid", pid).exit());
        }
    }

    @Test
    void aPatchForAJdkClassIsRefusedBeforeLp4jAttaches() throws Exception {
        byte[] adler;
        try (var in = ClassLoader.getSystemResourceAsStream("java/util/zip/Adler32.class")) {
            adler = in.readAllBytes();
        }
        io.livepatch4j.patch.Patch jdk = new io.livepatch4j.patch.Patch("jdk-fix", "test", "2026-11-29T00:00:00Z", "",
            List.of(new io.livepatch4j.patch.ClassPatch("java.util.zip.Adler32", io.livepatch4j.patch.Sha256.hex(adler),
                adler, List.of())), List.of(), null);
        Path file = shared.resolve("jdk.lp4j");
        io.livepatch4j.patch.PatchFormat.write(jdk, file);
        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main")) {
            String pid = String.valueOf(jvm.pid());
            Cli.Result r = Cli.run("apply", "--pid", pid, file.toString(), "--agent-jar", agent.toString());
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.err().contains("java.util.zip.Adler32: this class cannot be patched: it is a class of the JDK"),
                r.toString());
            assertTrue(r.err().contains("nothing was sent to the JVM"), r.toString());
            // Not even the agent was loaded: its integrations would have changed JDK classes.
            Cli.Result status = Cli.run("status", "--pid", pid);
            assertTrue(status.err().contains("has no livepatch4j agent"), status.toString());
        }
    }

    @Test
    void rootGoesToTheJvmItWasGivenWhateverItsOwnerPublishesOrPlants() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to act as nobody");
        try (ChildJvm mine = ChildJvm.start(v1, "fixture.Main", "-javaagent:" + agent);
             ChildJvm theirs = startTheirs(mine)) {
            String pid = String.valueOf(theirs.pid());
            // Their JVM says its control socket is root's JVM's; it has no agent at all.
            Cli.Result status = Cli.run("status", "--pid", pid);
            assertEquals(3, status.exit(), status.toString());
            assertTrue(status.err().contains("has no livepatch4j agent"), status.toString());

            // Apply loads the agent into their JVM (root may attach to it) and patches it, not root's.
            Cli.Result applied = Cli.run("apply", "--pid", pid, patch.toString(), "--wait", "--agent-jar", agent.toString());
            assertEquals(0, applied.exit(), applied.toString());
            theirs.skipOutput();
            assertEquals("OUT v2", theirs.awaitLine(l -> l.startsWith("OUT"), 10));
            mine.skipOutput();
            assertEquals("OUT v1", mine.awaitLine(l -> l.startsWith("OUT"), 10), "root's own JVM was patched");
            Cli.Result rootsStatus = Cli.run("status", "--pid", String.valueOf(mine.pid()));
            assertTrue(rootsStatus.out().contains("current generation G0"), rootsStatus.toString());
        }
    }

    @Test
    void anAttachSocketAnotherUserPlantedIsNotUsed() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to act as nobody");
        Path bind = shared.resolve("Bind.java");
        Files.writeString(bind, """
            public class Bind {
                public static void main(String[] a) throws Exception {
                    var s = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
                    s.bind(java.net.UnixDomainSocketAddress.of(a[0]));
                    System.out.println("BOUND");
                    while (true) { s.accept(); }
                }
            }""");
        Files.setPosixFilePermissions(bind, PosixFilePermissions.fromString("rw-r--r--"));
        try (ChildJvm mine = ChildJvm.start(v1, "fixture.Main")) {
            // Before root's JVM ever listens for attach, nobody serves its attach socket's name.
            Path planted = Path.of("/tmp/.java_pid" + mine.pid());
            Files.deleteIfExists(planted);
            Process fake = new ProcessBuilder("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                "--", Path.of(System.getProperty("java.home"), "bin", "java").toString(), bind.toString(),
                planted.toString()).redirectErrorStream(true).start();
            try {
                assertTrue(new String(fake.getInputStream().readNBytes(5)).startsWith("BOUND"));
                Cli.Result r = Cli.run("apply", "--pid", String.valueOf(mine.pid()), patch.toString(), "--agent-jar",
                    agent.toString());
                assertEquals(3, r.exit(), r.toString());
                assertTrue(r.err().contains("belongs to nobody, not to the JVM's user root"), r.toString());
                mine.skipOutput();
                assertEquals("OUT v1", mine.awaitLine(l -> l.startsWith("OUT"), 10));
            } finally {
                fake.destroyForcibly().waitFor();
                Files.deleteIfExists(planted);
            }
        }
    }

    /**
     * Nobody's JVM, started with root's JVM's control socket as its published one, and a directory of
     * nobody's own for its pid whose control.sock is a link to root's socket.
     */
    private static ChildJvm startTheirs(ChildJvm mine) throws Exception {
        // The agent's thread opens the socket moments after the JVM started.
        ControlSockets.Located located = ControlSockets.locate(mine.pid());
        for (int i = 0; i < 250 && located.sockets().isEmpty(); i++) {
            Thread.sleep(20);
            located = ControlSockets.locate(mine.pid());
        }
        Path rootSocket = located.sockets().get(0);
        ChildJvm theirs = ChildJvm.startAsNobody(v1, "fixture.Main", "-Dlivepatch4j.agent.control=" + rootSocket);
        String planted = "/tmp/" + ControlSockets.prefix(theirs.pid()) + "planted";
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--",
            "/bin/sh", "-c", "mkdir -m 700 " + planted + " && ln -s /tmp/" + rootSocket.getParent().getFileName()
                + "/control.sock " + planted + "/control.sock")
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        PLANTED.add(Path.of(planted));
        return theirs;
    }
}
