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
 * exits. Made once, on first use, under the class's monitor.
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
            Path made = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> removeAll(made), "livepatch4j-cleanup"));
        }
        return dir;
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
