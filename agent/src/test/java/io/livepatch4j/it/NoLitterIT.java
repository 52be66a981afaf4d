package io.livepatch4j.it;

import io.livepatch4j.it.support.ChildClassPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No litter after a crash (issue 15): a JVM with the agent that is killed with kill -9 leaves its
 * private folder in /tmp (no shutdown hook runs), holding its socket and nothing else; the next
 * agent of the same user to start removes it. A JVM that exits normally leaves nothing.
 */
@Timeout(90)
class NoLitterIT {

    private static final Path TMP = Path.of("/tmp");

    @Test
    void theFolderOfAKilledJvmIsRemovedByTheNextAgentAndANormalExitLeavesNothing() throws Exception {
        Process killed = start();
        List<Path> left = folders(killed.pid());
        assertEquals(1, left.size(), "the running JVM has one private folder: " + left);
        try (Stream<Path> inside = Files.list(left.get(0))) {
            List<String> names = inside.map(p -> p.getFileName().toString()).toList();
            assertEquals(List.of("control.sock"), names, "only the socket: the bootstrap runtime and the JNI "
                + "library leave no file behind");
        }
        killed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertTrue(Files.exists(left.get(0)), "kill -9 runs no shutdown hook, so the folder is still there");

        Process next = start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Files.exists(left.get(0)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(Files.notExists(left.get(0)), "the next agent removed the killed JVM's folder " + left.get(0));
        List<Path> ownFolders = folders(next.pid());
        assertEquals(1, ownFolders.size(), "and kept its own");

        next.destroy(); // SIGTERM: shutdown hooks run
        next.waitFor(20, TimeUnit.SECONDS);
        assertTrue(Files.notExists(ownFolders.get(0)), "a JVM that exits normally removes its folder");
    }

    /**
     * The same for a user other than root (review of issue 15): the sweep compared each folder's owner
     * with the owner of the link /proc/self, which is root for every process, so a non-root user's
     * folders were never removed. Runs as root, with the JVMs started as nobody.
     */
    @Test
    void theFolderOfAKilledJvmOfAnotherUserThanRootIsRemovedByThatUsersNextAgent() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
            "needs root to start JVMs as nobody");
        List<String> asNobody = List.of("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--");
        Process killed = start(asNobody);
        List<Path> left = folders(killed.pid());
        assertEquals(1, left.size(), "the running JVM has one private folder: " + left);
        killed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertTrue(Files.exists(left.get(0)), "kill -9 runs no shutdown hook, so the folder is still there");

        Process next = start(asNobody);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Files.exists(left.get(0)) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.notExists(left.get(0)), "nobody's next agent removed nobody's killed JVM's folder " + left.get(0));
        } finally {
            next.destroy();
            next.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /**
     * Review of issue 15: the sweep decides "the JVM is gone" from /proc/PID, with the pid as the JVM's
     * own namespace numbers it, but /proc need not be that namespace's (unshare --pid --fork without
     * --mount-proc, a sandbox that keeps the host's /proc). The agent then took its own live folder for
     * litter and removed it, so lp4j could no longer reach the JVM. Runs as root (unshare).
     */
    @Test
    void anAgentWhoseProcIsAnotherPidNamespacesKeepsItsOwnFolder() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root for unshare");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Instant began = Instant.now().minusSeconds(1);
        Process p = new ProcessBuilder("/usr/bin/unshare", "--pid", "--fork", "/bin/sh", "-c",
            "for i in $(seq 1 400); do /bin/true; done; '" + java + "' -javaagent:" + System.getProperty("lp4j.agent.jar")
                + " -cp '" + ChildClassPath.testClasses() + "' io.livepatch4j.it.child.Idle & wait").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            while (line != null && !line.startsWith("READY ")) {
                line = out.readLine(); // JDK 24+ prints its restricted-method warning first (docs/agent.md)
            }
            assertTrue(line != null, "the JVM started and printed READY");
            long nsPid = Long.parseLong(line.substring(6).trim());
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/proc", Long.toString(nsPid))),
                "this /proc happens to have a process " + nsPid);
            Thread.sleep(8000); // the background start, and its sweep, are over
            ProcessHandle jvm = p.toHandle().descendants().filter(h -> h.info().command().orElse("").endsWith("/java"))
                .findFirst().orElseThrow();
            String ns = Files.readSymbolicLink(Path.of("/proc", Long.toString(jvm.pid()), "ns", "pid")).toString()
                .replaceAll("[^0-9]", "");
            // Only this run's: pid namespace inodes are reused, and an earlier run's JVM killed here left its folder.
            List<Path> own = folders(nsPid).stream()
                .filter(f -> f.getFileName().toString().startsWith(".livepatch4j-" + nsPid + "-" + ns + "-"))
                .filter(f -> modifiedAfter(f, began)).toList();
            assertEquals(1, own.size(), "the live JVM keeps its folder, so lp4j can reach it: " + own);
        } finally {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static Process start() throws IOException {
        return start(List.of());
    }

    private static Process start(List<String> prefix) throws IOException {
        Path readable = readableCopy();
        List<String> command = new java.util.ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-javaagent:" + readable.resolve("agent.jar"), "-cp", readable.resolve("classes").toString(),
            "io.livepatch4j.it.child.Idle"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("READY")) {
                // JDK 24+ prints its restricted-method warning first (docs/agent.md). The agent's
                // thread opens the control socket moments after the start (lp4j waits for it too).
                awaitSocket(p.pid());
                return p;
            }
            seen.append(line).append('\n');
        }
        p.destroyForcibly();
        throw new AssertionError("the JVM ended before READY:\n" + seen);
    }

    private static Path readable;

    /**
     * The agent jar and the Idle class in a folder every user may read (a clone may sit in a 0700
     * folder, out of nobody's reach), made once.
     */
    private static synchronized Path readableCopy() throws IOException {
        if (readable == null) {
            Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "lp4j-nolitter");
            Path classes = dir.resolve("classes/io/livepatch4j/it/child");
            Files.createDirectories(classes);
            Files.copy(Path.of(System.getProperty("lp4j.agent.jar")), dir.resolve("agent.jar"));
            Files.copy(Path.of(ChildClassPath.testClasses(), "io/livepatch4j/it/child/Idle.class"), classes.resolve("Idle.class"));
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path f : (Iterable<Path>) all::iterator) {
                    Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString(
                        Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
                    f.toFile().deleteOnExit(); // deleted in reverse order: files before their folders
                }
            }
            readable = dir;
        }
        return readable;
    }

    private static boolean modifiedAfter(Path f, Instant t) {
        try {
            return Files.getLastModifiedTime(f).toInstant().isAfter(t);
        } catch (IOException e) {
            return false;
        }
    }

    /** The agent folders of process {@code pid}. */
    private static void awaitSocket(long pid) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (Path folder : folders(pid)) {
                if (Files.exists(folder.resolve("control.sock"))) {
                    return;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The folders of JVM {@code pid} of this test's pid namespace and of {@code pid}'s own (the same,
     * but for the unshare test, which filters further): an earlier run's JVM in another pid namespace
     * may have had the same number and left its folder (kill -9; the sweep looks only at its own
     * namespace's), as the unshare test's JVM, numbered about 403 there, does on every run.
     */
    private static List<Path> folders(long pid) throws IOException {
        String self = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString().replaceAll("[^0-9]", "");
        try (Stream<Path> all = Files.list(TMP)) {
            return all.filter(p -> p.getFileName().toString().startsWith(".livepatch4j-" + pid + "-"))
                .filter(p -> !Files.exists(Path.of("/proc", Long.toString(pid)))
                    || p.getFileName().toString().startsWith(".livepatch4j-" + pid + "-" + namespaceOf(pid, self) + "-"))
                .toList();
        }
    }

    private static String namespaceOf(long pid, String otherwise) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "pid")).toString()
                .replaceAll("[^0-9]", "");
        } catch (IOException e) {
            return otherwise;
        }
    }
}
