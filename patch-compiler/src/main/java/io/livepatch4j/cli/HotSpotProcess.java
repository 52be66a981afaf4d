package io.livepatch4j.cli;

import io.livepatch4j.control.ControlSockets;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Decides, from {@code /proc} alone and before anything is sent to a process, whether lp4j may use
 * the Attach API on it. Attaching to a JVM that is not yet listening sends it SIGQUIT, whose default
 * action ends a process: so the pid must be a HotSpot JVM ({@code libjvm.so} mapped) that already
 * listens for attach or catches SIGQUIT (not one started with {@code -Xrs} whose attach socket is
 * gone), and not a stopped process, on which attaching would only wait. Each check reads a few files: the answer comes at once.
 */
final class HotSpotProcess {

    private static final long SIGQUIT_BIT = 1L << (3 - 1);

    private HotSpotProcess() {}

    static void check(long pid) throws Lp4jException {
        Path proc = Path.of("/proc", Long.toString(pid));
        String status = checkRunning(pid);
        if (!mapsLibjvm(proc, pid)) {
            throw new Lp4jException(Lp4jException.TARGET, "process " + pid + " (" + command(pid) + ") is not a Java VM "
                + "(no libjvm.so is mapped in it); lp4j sent it nothing");
        }
        Path attachSocket = attachSocket(pid);
        if (Files.exists(attachSocket, LinkOption.NOFOLLOW_LINKS)) {
            checkAttachSocket(pid);
            if (listening(attachSocket)) {
                return; // it listens already: attaching connects, no signal is sent
            }
            removeStale(attachSocket, pid);
        }
        long caught = hex(field(status, "SigCgt:"));
        long ignored = hex(field(status, "SigIgn:"));
        if ((caught & SIGQUIT_BIT) == 0 || (ignored & SIGQUIT_BIT) != 0) {
            throw new Lp4jException(Lp4jException.TARGET, "JVM " + pid + " does not handle SIGQUIT (was it started with "
                + "-Xrs?): attaching would signal it and could end it, so lp4j sent it nothing; start it with "
                + "-javaagent:livepatch4j-agent.jar to patch it");
        }
    }

    /** HotSpot's attach socket for the process: /tmp/.java_pid + its in-namespace pid, in its own /tmp. */
    static Path attachSocket(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        return proc.resolve("root/tmp/.java_pid" + ControlSockets.namespacePid(proc, pid));
    }

    /**
     * Refuses an attach socket that is not the process's own: not a socket, another user's, open to
     * others, or served by a process of another user. Root's Attach API skips the owner check, and
     * the name is only the in-namespace pid: another user may have planted it, or a JVM of another
     * pid namespace with the same number may share the /tmp (docs/security.md). Checked before
     * attaching and again once attached, before anything is sent.
     */
    static void checkAttachSocket(long pid) throws Lp4jException {
        Path socket = attachSocket(pid);
        String shown = "/tmp/" + socket.getFileName();
        try {
            java.nio.file.attribute.UserPrincipal owner = Files.getOwner(Path.of("/proc", Long.toString(pid)),
                LinkOption.NOFOLLOW_LINKS);
            java.nio.file.attribute.PosixFileAttributes a = Files.readAttributes(socket,
                java.nio.file.attribute.PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String why = !a.isOther() ? "is not a socket"
                : !a.owner().equals(owner) ? "belongs to " + a.owner().getName() + ", not to the JVM's user " + owner.getName()
                : a.permissions().stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))
                    ? "is open to other users" : null;
            if (why == null) {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    java.nio.file.attribute.UserPrincipal peer = ch.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user();
                    why = peer.equals(owner) ? null : "is served by user " + peer.getName() + ", not by " + owner.getName();
                } catch (ConnectException e) {
                    why = null; // no one listens: a stale socket of the JVM's user, which check() removes
                }
            }
            if (why != null) {
                throw new Lp4jException(Lp4jException.TARGET, "the attach socket " + shown + " of JVM " + pid + " " + why
                    + " (another user planted it, or a JVM of another pid namespace with the same number shares this "
                    + "/tmp); lp4j will not attach through it: start the JVM with -javaagent:livepatch4j-agent.jar, "
                    + "or remove " + shown);
            }
        } catch (IOException e) {
            throw new Lp4jException(Lp4jException.TARGET, "cannot check the attach socket " + shown + " of JVM " + pid
                + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Refuses a process that has exited or is stopped (it would accept a connection and never
     * answer); returns its /proc status.
     */
    static String checkRunning(long pid) throws Lp4jException {
        String status = read(Path.of("/proc", Long.toString(pid), "status"), pid);
        String state = field(status, "State:");
        if (state.startsWith("Z") || state.startsWith("X")) {
            throw new Lp4jException(Lp4jException.TARGET, "process " + pid + " has exited (" + state + ")");
        }
        if (state.startsWith("T") || state.startsWith("t")) {
            throw new Lp4jException(Lp4jException.TARGET, "process " + pid + " is stopped (" + state + "); it cannot "
                + "answer until it runs again (kill -CONT " + pid + ")");
        }
        return status;
    }

    /**
     * Whether a process listens on the attach socket. A file no one listens on was left by an
     * earlier JVM of the same pid (killed before it could remove it); the Attach API would try it
     * and fail, so it goes, as HotSpot itself replaces it when it starts listening.
     */
    private static boolean listening(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            return true; // not ours to test (permissions): the Attach API reports it
        }
    }

    private static void removeStale(Path socket, long pid) throws Lp4jException {
        try {
            Files.delete(socket);
        } catch (IOException e) {
            throw new Lp4jException(Lp4jException.TARGET, "a stale attach socket " + Path.of("/tmp").resolve(
                socket.getFileName()) + " that no process listens on is in the way of attaching to JVM " + pid
                + " and lp4j may not remove it (" + e.getMessage() + "); remove it as root and try again", e);
        }
    }

    private static boolean mapsLibjvm(Path proc, long pid) throws Lp4jException {
        try (BufferedReader maps = Files.newBufferedReader(proc.resolve("maps"))) {
            for (String line = maps.readLine(); line != null; line = maps.readLine()) {
                if (line.endsWith("/libjvm.so")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new Lp4jException(Lp4jException.TARGET, "cannot read /proc/" + pid + "/maps to check that process "
                + pid + " is a JVM (" + e.getMessage() + "); run lp4j as the process's user or as root", e);
        }
    }

    private static String read(Path file, long pid) throws Lp4jException {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new Lp4jException(Lp4jException.TARGET, "there is no process with pid " + pid, e);
        }
    }

    private static String field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name)) {
                return line.substring(name.length()).trim();
            }
        }
        return "";
    }

    private static long hex(String value) {
        try {
            return Long.parseUnsignedLong(value, 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String command(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().command()).orElse("unknown");
    }
}
