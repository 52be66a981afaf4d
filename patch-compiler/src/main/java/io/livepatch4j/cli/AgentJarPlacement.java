package io.livepatch4j.cli;

import io.livepatch4j.control.ControlSockets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where a JVM that lp4j attaches the agent to finds the agent jar. A JVM in lp4j's own mount
 * namespace reads the jar where it is. A JVM in another one (a container seen from the host, or the
 * main container seen from a debug container that shares its pid namespace) may not see that path:
 * lp4j then copies the jar into the JVM's own /tmp, reached through /proc/PID/root, under a new name
 * (.livepatch4j-agent-RANDOM.jar, mode 644), gives the JVM that path, and removes the copy once the JVM
 * has loaded it.
 *
 * <p>lp4j may be root and the container's /tmp is the container's to change, so every step is made
 * relative to directories opened without following links (a {@link SecureDirectoryStream}: openat):
 * /tmp must be a real directory owned by root or the JVM's user, and the copy is created new. A link
 * planted as /tmp (an absolute link would resolve in lp4j's namespace, not the container's) is refused.
 */
final class AgentJarPlacement implements AutoCloseable {

    private final String pathInTarget;
    private final SecureDirectoryStream<Path> tmp;
    private final Path copy;

    private AgentJarPlacement(String pathInTarget, SecureDirectoryStream<Path> tmp, Path copy) {
        this.pathInTarget = pathInTarget;
        this.tmp = tmp;
        this.copy = copy;
    }

    /** The path to give JVM {@code pid}'s loadAgent. */
    String pathInTarget() {
        return pathInTarget;
    }

    /** Places {@code agentJar} where JVM {@code pid} can read it (see the class comment). */
    static AgentJarPlacement forJvm(long pid, Path agentJar) throws Lp4jException {
        if (AttachBridge.sameMountNamespace(Path.of("/proc", Long.toString(pid)))) {
            return new AgentJarPlacement(agentJar.toString(), null, null);
        }
        Path root = Path.of("/proc", Long.toString(pid), "root");
        SecureDirectoryStream<Path> tmp = null;
        try (DirectoryStream<Path> rootDir = Files.newDirectoryStream(root)) {
            if (!(rootDir instanceof SecureDirectoryStream<Path> secureRoot)) {
                throw new Lp4jException(Lp4jException.TARGET, "JVM " + pid + " is in another mount namespace and this "
                    + "platform cannot open its /tmp safely; put the agent jar in that JVM's filesystem and give --agent-jar");
            }
            tmp = secureRoot.newDirectoryStream(Path.of("tmp"), LinkOption.NOFOLLOW_LINKS);
            String why = unfitTmp(pid, root, tmp.getFileAttributeView(PosixFileAttributeView.class).readAttributes());
            if (why != null) {
                throw new Lp4jException(Lp4jException.REFUSED, "JVM " + pid + "'s /tmp " + why
                    + "; refusing to put the agent jar there. Copy it into that JVM's filesystem and give --agent-jar");
            }
            Path name = Path.of(".livepatch4j-agent-" + ControlSockets.randomHex(8) + ".jar");
            try (SeekableByteChannel out = tmp.newByteChannel(name, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ)));
                 InputStream in = Files.newInputStream(agentJar)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                }
            }
            AgentJarPlacement placed = new AgentJarPlacement("/tmp/" + name, tmp, name);
            tmp = null;
            return placed;
        } catch (IOException e) {
            throw new Lp4jException(Lp4jException.TARGET, "JVM " + pid + " is in another mount namespace, and lp4j could "
                + "not put the agent jar in its /tmp (" + e.getMessage() + "); copy the agent jar into that JVM's "
                + "filesystem and give --agent-jar with its path there", e);
        } finally {
            if (tmp != null) {
                try {
                    tmp.close();
                } catch (IOException ignored) {
                    // nothing was placed
                }
            }
        }
    }

    /** Removes the copy: the JVM has opened the jar by now, and keeps it open. */
    @Override
    public void close() {
        if (tmp == null) {
            return;
        }
        try {
            tmp.deleteFile(copy);
        } catch (IOException ignored) {
            // it stays in the container's /tmp, mode 644 and owned by lp4j's user: harmless
        } finally {
            try {
                tmp.close();
            } catch (IOException ignored) {
                // closed
            }
        }
    }

    /**
     * Why the opened /tmp may not hold the copy, or null: it must belong to root or to the JVM's user,
     * and if others may write to it, be sticky (so no one else can swap the copy before the JVM reads
     * it). The mode is read by path and applies only if the path still names the opened directory.
     */
    private static String unfitTmp(long pid, Path root, PosixFileAttributes opened) throws IOException {
        String jvmUser = Files.getOwner(Path.of("/proc", Long.toString(pid)), LinkOption.NOFOLLOW_LINKS).getName();
        String owner = opened.owner().getName();
        if (!owner.equals("root") && !owner.equals(jvmUser)) {
            return "belongs to " + owner + ", neither root nor the JVM's user " + jvmUser;
        }
        Path byName = root.resolve("tmp");
        Object key = Files.readAttributes(byName, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        int mode = (Integer) Files.getAttribute(byName, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if (!opened.fileKey().equals(key)) {
            return "changed while lp4j looked at it";
        }
        boolean othersWrite = (mode & 0022) != 0;
        boolean sticky = (mode & 01000) != 0;
        return othersWrite && !sticky ? "may be written by other users and is not sticky" : null;
    }
}
