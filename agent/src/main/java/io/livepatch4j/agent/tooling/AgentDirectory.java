package io.livepatch4j.agent.tooling;

import io.livepatch4j.control.ControlSockets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * This JVM's private directory ({@link ControlSockets#createDirectory}: a name no one could take
 * first, mode 700): the control socket, the bootstrap jar and the native library live there, each
 * created new (never opened if something is already there), and all of it is removed when the JVM
 * exits. Made on first use, and made anew after a checkpoint's restore ({@link #renew}: while the
 * process was gone another JVM may have swept the old one, and a restore on another machine is in
 * another pid namespace, which the name holds); both under the class's monitor.
 */
final class AgentDirectory {

    private static Path dir;

    private AgentDirectory() {}

    static synchronized Path get() throws IOException {
        if (dir == null) {
            try {
                dir = ControlSockets.createDirectory();
            } catch (IOException e) {
                throw new IOException("cannot create the agent's private directory in /tmp (" + e + "); lp4j needs it "
                    + "to reach this JVM: check that /tmp exists and this user may write it", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(AgentDirectory::removeCurrent, "livepatch4j-cleanup"));
        }
        return dir;
    }

    /**
     * Replaces the directory with a new one, removing the old one if it is still there; for the
     * control socket reopened after a restore. The old directory's files (the socket the checkpoint
     * parked) are all this JVM's own.
     */
    static synchronized Path renew() throws IOException {
        if (dir == null) {
            return get();
        }
        Path old = dir;
        try {
            dir = ControlSockets.createDirectory();
        } catch (IOException e) {
            throw new IOException("cannot create the agent's private directory in /tmp (" + e + "); lp4j needs it "
                + "to reach this JVM: check that /tmp exists and this user may write it", e);
        }
        // Swept while the process was gone, the name may since be another user's folder: not ours to empty.
        if (Files.isDirectory(old, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.getOwner(old,
            java.nio.file.LinkOption.NOFOLLOW_LINKS).equals(Files.getOwner(Path.of("/proc/self/")))) {
            removeAll(old);
        }
        return dir;
    }

    private static synchronized void removeCurrent() {
        if (dir != null) {
            removeAll(dir);
        }
    }

    /**
     * Removes what JVMs of this user killed without running their shutdown hooks left in /tmp
     * ({@link ControlSockets#sweepStale}); a failure to look only means nothing is swept.
     */
    static void sweepStale() {
        try {
            int removed = ControlSockets.sweepStale();
            if (removed > 0) {
                AgentLog.debug("livepatch4j: removed {0} control folder(s) of JVMs that are gone", removed);
            }
        } catch (IOException | RuntimeException e) {
            AgentLog.debug("livepatch4j: could not look for control folders of JVMs that are gone: {0}", e);
        }
    }

    /** Copies {@code in} to a new file {@code name} in the directory, readable by this user only. */
    static Path write(String name, InputStream in) throws IOException {
        Path file = get().resolve(name);
        try (var out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            in.transferTo(out);
        }
        return file;
    }

    private static void removeAll(Path dir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // the JVM is exiting: nothing more can be done, and the files are this user's alone
        }
    }
}
