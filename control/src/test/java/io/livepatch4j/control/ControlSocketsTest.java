package io.livepatch4j.control;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lp4j finds a JVM's control socket from its pid alone and talks only to one its owner serves
 * (issue 14, items 5 and 6): directories other users or links planted are passed over, and a socket
 * served by another user is refused.
 */
class ControlSocketsTest {

    private Process target;
    private final List<Path> made = new ArrayList<>();
    private final List<ServerSocketChannel> servers = new ArrayList<>();

    @BeforeEach
    void startTarget() throws IOException {
        target = new ProcessBuilder("sleep", "60").start();
    }

    @AfterEach
    void clean() throws IOException {
        target.destroyForcibly();
        for (ServerSocketChannel s : servers) {
            s.close();
        }
        for (int i = made.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(made.get(i));
        }
    }

    private Path dir(String suffix, String mode) throws IOException {
        Path d = Files.createDirectory(Path.of("/tmp", ControlSockets.prefix(target.pid()) + suffix));
        made.add(d);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString(mode));
        return d;
    }

    private Path listen(Path dir) throws IOException {
        Path socket = dir.resolve(ControlSockets.SOCKET);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        servers.add(server);
        made.add(socket);
        return socket;
    }

    @Test
    void onlyAPrivateDirectoryOfTheOwnerHoldingItsSocketIsKept() throws IOException {
        Path good = listen(dir("good", "rwx------"));
        listen(dir("open", "rwxr-xr-x"));                               // others may look in
        Path file = dir("file", "rwx------").resolve(ControlSockets.SOCKET);
        Files.writeString(file, "not a socket");                          // a regular file in its place
        made.add(file);
        Path link = Path.of("/tmp", ControlSockets.prefix(target.pid()) + "link");
        Files.createSymbolicLink(link, good.getParent());                 // a link to the real one
        made.add(link);
        dir("empty", "rwx------");

        ControlSockets.Located found = ControlSockets.locate(target.pid());
        // Looked up in the target's own /tmp (/proc/PID/root/tmp), which is ours here.
        assertEquals(1, found.sockets().size(), found.toString());
        assertEquals(good.getParent().getFileName(), found.sockets().get(0).getParent().getFileName(), found.toString());
        assertEquals(4, found.refused().size(), found.refused().toString());
        assertTrue(found.refused().stream().anyMatch(r -> r.contains("open to other users")), found.refused().toString());
        assertTrue(found.refused().stream().anyMatch(r -> r.contains("is not a directory")), found.refused().toString());
        assertTrue(found.refused().stream().anyMatch(r -> r.contains("not a socket")), found.refused().toString());
        found.connect().close(); // served by the test's own user, the owner of the sleep process
    }

    @Test
    void aDirectoryOfAnotherUserIsPassedOver() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
            "only root can make a directory belong to another user");
        Path planted = dir("planted", "rwx------");
        listen(planted);
        Files.setOwner(planted, Path.of("/tmp").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        ControlSockets.Located found = ControlSockets.locate(target.pid());
        assertTrue(found.sockets().isEmpty(), found.toString());
        assertTrue(found.refused().get(0).contains("belongs to nobody, not to the JVM's user root"), found.refused().toString());
    }

    @Test
    void aSocketServedByAnotherUserIsRefused() throws IOException {
        Path socket = listen(dir("peer", "rwx------"));
        UserPrincipal nobody = socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        ControlSockets.Located claimed = new ControlSockets.Located(target.pid(), nobody, List.of(socket), List.of(), false);
        ControlSockets.ControlException e = assertThrows(ControlSockets.ControlException.class, claimed::connect);
        assertTrue(e.getMessage().contains("is served by user " + System.getProperty("user.name") + ", not by JVM "
            + target.pid() + "'s user nobody"), e.getMessage());
    }

    /**
     * Review of issue 16: lp4j (root) wrote the resume file through the folder's path, so the JVM's
     * user, swapping the parked folder for a link, had root create a file in any folder.
     */
    @Test
    void theResumeFileIsWrittenOnlyIntoThePrivateFolderItselfNeverThroughALink() throws IOException {
        Path d = dir("resume", "rwx------");
        Path socket = listen(d);
        java.nio.file.attribute.UserPrincipal me = Files.getOwner(d);
        ControlSockets.Located located = new ControlSockets.Located(target.pid(), me, List.of(socket), List.of(), false);
        located.resumeAfterCheckpoint();
        Path written = d.resolve(ControlSockets.RESUME);
        made.add(written);
        assertTrue(Files.isRegularFile(written), "the agent's own folder gets the file");

        Path elsewhere = Files.createTempDirectory("lp4j-resume-target");
        made.add(elsewhere);
        Path moved = d.resolveSibling(d.getFileName() + ".moved");
        Files.delete(written);
        Files.delete(socket);
        Files.move(d, moved);
        made.add(moved);
        Files.createSymbolicLink(d, elsewhere);
        try {
            IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                located::resumeAfterCheckpoint);
            assertTrue(Files.notExists(elsewhere.resolve(ControlSockets.RESUME)), "nothing created through the link: "
                + refused);
        } finally {
            Files.delete(d);
            Files.move(moved, d);
            made.remove(moved);
        }
    }

    @Test
    void theAgentsDirectoryIsNewAndPrivate() throws IOException {
        Path a = ControlSockets.createDirectory();
        Path b = ControlSockets.createDirectory();
        made.add(a);
        made.add(b);
        assertTrue(a.getFileName().toString().startsWith(ControlSockets.prefix(ProcessHandle.current().pid())), a.toString());
        assertTrue(a.getFileName().toString().contains("-" + ControlSockets.pidNamespace(Path.of("/proc/self")) + "-"),
            "named after its pid namespace too: " + a);
        assertTrue(!a.equals(b), "each directory has a name of its own");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(a)));
    }

    @Test
    void theDirectoriesOfJvmsThatAreGoneAreSweptAndNoOtherOnes() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String goneName = ControlSockets.prefix(ProcessHandle.current().pid())
            .replace("-" + ProcessHandle.current().pid() + "-", "-" + gone.pid() + "-") + "killed";
        Path stale = Files.createDirectory(Path.of("/tmp", goneName));
        made.add(stale);
        Files.writeString(stale.resolve("leftover"), "x");
        made.add(stale.resolve("leftover"));
        Path live = dir("alive", "rwx------");
        Path running = listen(live);

        assertTrue(ControlSockets.sweepStale() >= 1, "the folder of the JVM that is gone was removed");
        assertTrue(Files.notExists(stale), "a folder whose pid no longer runs is removed, with what it holds");
        assertTrue(Files.exists(running), "a running process's folder is left alone");
    }
}
