package io.livepatch4j.cli;

import io.livepatch4j.cli.support.ChildJvm;
import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.cli.support.Fixture;
import io.livepatch4j.cli.support.Sources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lp4j reaches a JVM in other mount and pid namespaces as jcmd does (issue 15, item 6): from the
 * host into a container (its own /tmp, where lp4j's files are not), and from a debug container that
 * shares the JVM's pid namespace but has a /tmp of its own (kubectl debug --target). The namespaces
 * are made with unshare, as a container runtime makes them; root only.
 */
@Timeout(120)
class ContainerIT {

    private static final String V1 = Fixture.SUBJECT_V1;
    private static final Fixture FIX = Fixture.subject("container", V1, V1.replace("\"v1\"", "\"v2\""), "v1", "v2");

    private static Path shared;
    private static Path v1;
    private static Path patch;
    private static Path agent;
    private static Path lp4j;

    @BeforeAll
    static void build() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "namespaces need root");
        shared = Files.createTempDirectory(Path.of("/var/tmp"), "lp4j-container");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        v1 = Sources.compile("v1", FIX.v1Build());
        Path v2 = Sources.compile("v2", FIX.v2Build());
        patch = shared.resolve("fix.lp4j");
        Cli.Result r = Cli.run("build", "--old", v1.toString(), "--new", v2.toString(), "-o", patch.toString(), "--id", "container-fix");
        assertEquals(0, r.exit(), r.toString());
        agent = Files.copy(Path.of(System.getProperty("lp4j.agent.jar")), shared.resolve("livepatch4j-agent.jar"));
        // lp4j itself too: the debug container below mounts its own /tmp, where a clone may sit.
        lp4j = Files.copy(Path.of(System.getProperty("lp4j.jar")), shared.resolve("lp4j.jar"));
        Path classes = shared.resolve("classes");
        try (var files = Files.walk(v1)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, classes.resolve(v1.relativize(f).toString()));
            }
        }
        v1 = classes;
    }

    @AfterAll
    static void clean() throws Exception {
        if (shared == null) {
            return;
        }
        try (var files = Files.walk(shared)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    /**
     * The container's setup: its own /tmp, the application copied into it, and the host folder with
     * the classes, the agent and the patch hidden, as an image would not have them.
     */
    private static String containerSetup(boolean copyAgent) {
        return "mount -t tmpfs tmpfs /tmp && mkdir /tmp/app && cp -r '" + v1 + "/.' /tmp/app/"
            + (copyAgent ? " && cp '" + agent + "' /tmp/app/agent.jar" : "")
            + " && mount -t tmpfs tmpfs '" + shared + "'";
    }

    @Test
    void attachModeFromTheHostIntoAContainerThatCannotSeeTheAgentJar() throws Exception {
        try (ChildJvm jvm = ChildJvm.startContained(containerSetup(false), Path.of("/tmp/app"), "fixture.Main")) {
            String pid = String.valueOf(jvm.pid());
            assertTrue(Files.notExists(Path.of("/proc", pid, "root").resolve(agent.toString().substring(1))),
                "the setup hides the agent jar from the container");
            Cli.Result applied = Cli.run("apply", "--pid", pid, patch.toString(), "--wait", "--agent-jar", agent.toString());
            assertEquals(0, applied.exit(), applied.toString());
            jvm.skipOutput();
            assertEquals("OUT v2", jvm.awaitLine(l -> l.startsWith("OUT"), 10));
            Cli.Result status = Cli.run("status", "--pid", pid);
            assertTrue(status.out().contains("current generation G1"), status.toString());
            try (var left = Files.list(Path.of("/proc", pid, "root", "tmp"))) {
                List<String> names = left.map(p -> p.getFileName().toString()).toList();
                assertTrue(names.stream().noneMatch(n -> n.startsWith(".livepatch4j-agent-")),
                    "lp4j removed the agent jar it put in the container's /tmp: " + names);
            }
        }
    }

    @Test
    void preparedModeInAContainerIsPatchedFromTheHost() throws Exception {
        try (ChildJvm jvm = ChildJvm.startContained(containerSetup(true), Path.of("/tmp/app"), "fixture.Main",
            "-javaagent:/tmp/app/agent.jar=packages=fixture")) {
            String pid = String.valueOf(jvm.pid());
            Cli.Result applied = Cli.run("apply", "--pid", pid, patch.toString(), "--wait");
            assertEquals(0, applied.exit(), applied.toString());
            assertTrue(applied.out().contains("G0 -> G1"), applied.toString());
            jvm.skipOutput();
            assertEquals("OUT v2", jvm.awaitLine(l -> l.startsWith("OUT"), 10));
        }
    }

    @Test
    void fromADebugContainerThatSharesThePidNamespaceButHasItsOwnTmp() throws Exception {
        try (ChildJvm jvm = ChildJvm.start(v1, "fixture.Main")) {
            String pid = String.valueOf(jvm.pid());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String inside = "mount -t tmpfs tmpfs /tmp && '" + java + "' -jar '" + lp4j + "' apply --pid " + pid + " '" + patch
                + "' --wait --agent-jar '" + agent + "' && '" + java + "' -jar '" + lp4j + "' status --pid " + pid;
            Process p = new ProcessBuilder("/usr/bin/unshare", "--mount", "/bin/sh", "-c", inside).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), out);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("current generation G1"), out);
            jvm.skipOutput();
            assertEquals("OUT v2", jvm.awaitLine(l -> l.startsWith("OUT"), 10));
            assertTrue(Files.notExists(Path.of("/tmp/.java_pid" + pid)) || !Files.isSymbolicLink(Path.of("/tmp/.java_pid" + pid)),
                "lp4j's link lived in its own /tmp only");
        }
    }
}
