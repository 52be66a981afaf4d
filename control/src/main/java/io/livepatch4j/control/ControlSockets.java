package io.livepatch4j.control;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Where a JVM's control socket is, and who may answer on it (docs/security.md, "The control channel").
 *
 * <p>The agent of JVM {@code P} makes a directory {@code /tmp/.livepatch4j-P-RANDOM} of mode 700
 * (created with a name nobody can guess before, so no other user can take it first) and listens on
 * {@code control.sock} inside it. lp4j derives the place from the pid alone, never from anything the
 * target publishes: it looks in the target's own {@code /tmp} ({@code /proc/P/root/tmp}, so a JVM in
 * another mount namespace is found too) for directories named after the target's in-namespace pid,
 * keeps those that are directories (not links) of the process's owner with no access for anyone
 * else, holding a socket of that owner, and after connecting checks the peer's credentials
 * ({@code SO_PEERCRED}): the process that listens must run as the target's owner. So neither the
 * target's owner nor any other user can steer lp4j into a different user's JVM.
 */
public final class ControlSockets {

    public static final String SOCKET = "control.sock";
    /** The largest patch file the channel carries; real patches are a few MB (docs/cli.md). */
    public static final int MAX_PATCH = 64 << 20;
    /** The largest answer a client reads: a status of thousands of classes and threads fits many times over. */
    public static final int MAX_ANSWER = 64 << 20;
    private static final Path TMP = Path.of("/tmp");
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private ControlSockets() {}

    /**
     * The name every control directory of process {@code pid} starts with: its pid as its own pid
     * namespace numbers it, and that namespace's inode. Two processes that share a /tmp may have the
     * same pid in two pid namespaces (a sandbox, a container given the host's /tmp); the pair is
     * one process's alone.
     */
    public static String prefix(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        return ".livepatch4j-" + namespacePid(proc, pid) + "-" + pidNamespace(proc) + "-";
    }

    /** The inode of the process's pid namespace, from the link /proc/PID/ns/pid ("pid:[4026531836]"). */
    static String pidNamespace(Path proc) throws IOException {
        String link = Files.readSymbolicLink(proc.resolve("ns/pid")).toString();
        int open = link.indexOf('[');
        int close = link.indexOf(']');
        if (!link.startsWith("pid:[") || close < open) {
            throw new IOException(proc.resolve("ns/pid") + " is " + link + ", not a pid namespace");
        }
        return link.substring(open + 1, close);
    }

    /**
     * Makes this JVM's private directory: a new name that nobody could have taken first (created with
     * mkdir, which fails on any existing name, link or file), mode 700 from the start, its last part
     * 16 hex digits ({@link #randomHex}). The agent keeps its socket there.
     */
    public static Path createDirectory() throws IOException {
        String prefix = ".livepatch4j-" + ProcessHandle.current().pid() + "-" + pidNamespace(Path.of("/proc/self")) + "-";
        for (int attempt = 0; ; attempt++) {
            String name = prefix + randomHex(8);
            try {
                return Files.createDirectory(TMP.resolve(name), PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                if (attempt == 9) {
                    throw taken;
                }
            }
        }
    }

    /**
     * {@code bytes} bytes from /dev/urandom as hex: names no one can guess, read directly (the JDK's
     * SecureRandom would load the security providers, about a tenth of a second of the agent's start).
     */
    public static String randomHex(int bytes) throws IOException {
        byte[] random;
        try (java.io.InputStream in = Files.newInputStream(Path.of("/dev/urandom"))) {
            random = in.readNBytes(bytes);
        }
        if (random.length != bytes) {
            throw new IOException("/dev/urandom gave too few bytes");
        }
        return java.util.HexFormat.of().formatHex(random);
    }

    /**
     * Removes the control directories that JVMs of this user in this pid namespace left behind when
     * they were killed (kill -9 runs no shutdown hook): a directory whose pid no longer runs. A pid
     * taken again by a newer process keeps its directory until that process is gone too. Returns
     * how many were removed; what cannot be removed is left as it is.
     */
    public static int sweepStale() throws IOException {
        long self = ProcessHandle.current().pid();
        // /proc must be this pid namespace's: one mounted for another (unshare --pid without
        // --mount-proc) would call every pid of ours gone, this JVM's own among them.
        if (!Path.of("/proc/self").toRealPath().getFileName().toString().equals(Long.toString(self))) {
            return 0;
        }
        String namespace = pidNamespace(Path.of("/proc/self"));
        // The owner of /proc/self's target (the process's user); the link itself is root's.
        UserPrincipal me = Files.getOwner(Path.of("/proc/self/"));
        String own = ".livepatch4j-" + self + "-" + namespace + "-";
        int removed = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(TMP, ".livepatch4j-*-" + namespace + "-*")) {
            for (Path dir : dirs) {
                String[] parts = dir.getFileName().toString().split("-");
                long pid;
                try {
                    pid = Long.parseLong(parts[1]);
                } catch (RuntimeException e) {
                    continue; // not a name this class made
                }
                if (dir.getFileName().toString().startsWith(own)) {
                    continue; // this JVM's
                }
                if (!Files.exists(Path.of("/proc", Long.toString(pid)), LinkOption.NOFOLLOW_LINKS) && removeOwn(dir, me)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    /** Deletes {@code dir} and the files in it, if {@code owner} owns it and it holds no folder; true if gone. */
    private static boolean removeOwn(Path dir, UserPrincipal owner) {
        try {
            PosixFileAttributes d = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!d.isDirectory() || !d.owner().equals(owner)) {
                return false;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    Files.delete(f); // never follows a link; fails on a folder, which this class never makes
                }
            }
            Files.delete(dir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The control sockets that JVM {@code pid} may be listening on, each checked as the class says. */
    public static Located locate(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        UserPrincipal owner = Files.getOwner(proc, LinkOption.NOFOLLOW_LINKS);
        Path root = proc.resolve("root");
        // The target's /tmp as the target sees it; our own if we may not look into its root
        // (another user's process: then we may not patch it either, and say so elsewhere).
        Path tmp = Files.isReadable(root) && Files.isDirectory(root.resolve("tmp")) ? root.resolve("tmp") : TMP;
        List<Path> sockets = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        boolean opening = false;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, prefix(pid) + "*")) {
            for (Path dir : dirs) {
                String why;
                try {
                    why = unfit(dir, owner);
                } catch (IOException e) {
                    why = "could not be checked (" + e + ")"; // gone meanwhile, or not ours to read: passed over
                }
                if (why == null) {
                    sockets.add(dir.resolve(SOCKET));
                } else {
                    refused.add(dir.getFileName() + " " + why);
                    opening |= why.equals(NO_SOCKET);
                }
            }
        }
        return new Located(pid, owner, sockets, refused, opening);
    }

    /** The agent's livepatch4j.agent.control property while its socket is parked for a checkpoint. */
    public static final String PARKED_FOR_CHECKPOINT = "parked-for-checkpoint";

    /** The file that tells an agent a checkpoint left its process running ({@link Located#resumeAfterCheckpoint}). */
    public static final String RESUME = "checkpoint.resume";

    /**
     * How long a client waits for the socket of an agent that is opening it (in prepared mode the
     * agent opens it on a thread of its own, moments after the JVM started).
     */
    public static final java.time.Duration OPENING_WAIT = java.time.Duration.ofSeconds(5);

    /** As {@link #locate}; where an agent is opening its socket ({@link Located#opening}), as {@link #awaitSocket}. */
    public static Located locateOrAwait(long pid) throws IOException {
        Located located = locate(pid);
        return !located.found() && located.opening() ? awaitSocket(pid) : located;
    }

    /** As {@link #locate}, looking again until a socket is found or {@link #OPENING_WAIT} has passed. */
    public static Located awaitSocket(long pid) throws IOException {
        long deadline = System.nanoTime() + OPENING_WAIT.toNanos();
        Located located = locate(pid);
        while (!located.found() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            located = locate(pid);
        }
        return located;
    }

    /** Why {@code dir} is not a control directory of {@code owner}'s JVM, or null if it is one. */
    private static String unfit(Path dir, UserPrincipal owner) throws IOException {
        PosixFileAttributes d = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!d.isDirectory()) {
            return "is not a directory";
        }
        if (!d.owner().equals(owner)) {
            return "belongs to " + d.owner().getName() + ", not to the JVM's user " + owner.getName();
        }
        if (!OWNER_ONLY.containsAll(d.permissions())) {
            return "is open to other users (" + PosixFilePermissions.toString(d.permissions()) + ")";
        }
        Path socket = dir.resolve(SOCKET);
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return NO_SOCKET;
        }
        PosixFileAttributes s = Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!s.isOther() || !s.owner().equals(owner)) {
            return "holds a " + SOCKET + " that is not a socket of " + owner.getName();
        }
        return null;
    }

    /**
     * The pid the process has in its own pid namespace (the last NSpid field), which its agent
     * named its directory after; the pid itself where the kernel does not say.
     */
    public static long namespacePid(Path proc, long pid) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("NSpid:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(f[f.length - 1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone: the caller finds nothing either way
        }
        return pid;
    }

    private static final String NO_SOCKET = "holds no " + SOCKET;

    /**
     * What {@link #locate} found for a pid. {@code opening}: a directory fit for the JVM's socket holds
     * none yet (an agent in prepared mode opens it on a thread of its own, moments after the start).
     */
    public record Located(long pid, UserPrincipal owner, List<Path> sockets, List<String> refused, boolean opening) {

        public boolean found() {
            return !sockets.isEmpty();
        }

        /**
         * One request: the header frame, the payload frame if there is one, and the answer frame
         * (at most {@value #MAX_ANSWER} bytes), on a connection of its own, answered within
         * {@code timeout} (a stopped JVM accepts the connection and never answers).
         *
         * @throws ControlTimeout if the answer has not arrived in time; the connection is closed
         */
        public byte[] exchange(byte[] header, byte[] payload, java.time.Duration timeout) throws IOException {
            SocketChannel ch = connect();
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(timeout.toMillis());
                    ch.close();
                } catch (InterruptedException | IOException e) {
                    // answered in time, or already closed
                }
            }, "lp4j-control-timeout");
            watchdog.setDaemon(true);
            watchdog.start();
            try (ch) {
                DataOutputStream out = new DataOutputStream(Channels.newOutputStream(ch));
                try {
                    Frames.write(out, header);
                    if (payload != null) {
                        Frames.write(out, payload);
                    }
                    out.flush();
                } catch (java.nio.channels.AsynchronousCloseException e) {
                    throw e;
                } catch (IOException e) {
                    // The agent may answer before reading ("busy") and close: its answer is what to report.
                    try {
                        return Frames.read(new DataInputStream(Channels.newInputStream(ch)), MAX_ANSWER);
                    } catch (IOException none) {
                        throw e;
                    }
                }
                byte[] answer = Frames.read(new DataInputStream(Channels.newInputStream(ch)), MAX_ANSWER);
                // The agent closes once it has answered: wait for that, so that when this returns
                // the agent is done with the connection (a checkpoint follows "checkpoint-prepare").
                awaitEnd(ch);
                return answer;
            } catch (java.nio.channels.AsynchronousCloseException e) {
                throw new ControlTimeout("JVM " + pid + " did not answer within " + timeout.toSeconds()
                    + " s; is it stopped (kill -CONT " + pid + ") or overloaded? See its log");
            } finally {
                watchdog.interrupt();
            }
        }

        private static void awaitEnd(SocketChannel ch) throws IOException {
            java.nio.ByteBuffer rest = java.nio.ByteBuffer.allocate(256);
            while (ch.read(rest) >= 0) {
                rest.clear(); // nothing follows an answer; the watchdog bounds the wait
            }
        }

        /**
         * Tells the agent that a checkpoint it prepared for ("checkpoint-prepare") did not stop the
         * process (it failed, or left it running), so that it opens its control socket again: a file
         * {@value #RESUME} in its directory, which it looks for while the checkpoint is pending.
         */
        public void resumeAfterCheckpoint() throws IOException {
            for (Path socket : sockets) {
                Path dir = socket.getParent();
                // lp4j often runs as root, and the JVM's user may have swapped the folder for a link
                // since it was checked: the folder is opened without following links, checked again
                // as opened, and the file made in it (not through its path).
                try (DirectoryStream<Path> parent = Files.newDirectoryStream(dir.getParent())) {
                    if (!(parent instanceof SecureDirectoryStream<Path> tmp)) {
                        throw new IOException("cannot open " + dir + " safely here (no SecureDirectoryStream)");
                    }
                    try (SecureDirectoryStream<Path> own = tmp.newDirectoryStream(dir.getFileName(),
                        LinkOption.NOFOLLOW_LINKS)) {
                        PosixFileAttributes a = own.getFileAttributeView(PosixFileAttributeView.class).readAttributes();
                        if (!a.owner().equals(owner) || !OWNER_ONLY.containsAll(a.permissions())) {
                            throw new IOException(dir + " is no longer JVM " + pid + "'s private folder (owner "
                                + a.owner().getName() + ", " + PosixFilePermissions.toString(a.permissions()) + "); nothing written");
                        }
                        try (var c = own.newByteChannel(Path.of(RESUME),
                            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS))) {
                            // an empty file says it all
                        } catch (FileAlreadyExistsException done) {
                            // said already
                        }
                    }
                }
            }
        }

        /**
         * A connection to the JVM's agent whose listening end runs as the JVM's owner. A socket
         * that refuses connections is left by an earlier process of the same pid and is skipped.
         *
         * @throws ControlException if no socket answers as the JVM's user
         */
        public SocketChannel connect() throws IOException {
            List<String> tried = new ArrayList<>(refused);
            for (Path socket : sockets) {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    UserPrincipal peer = ch.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user();
                    if (peer.equals(owner)) {
                        return ch;
                    }
                    ch.close();
                    tried.add("the control socket " + socket + " is served by user " + peer.getName()
                        + ", not by JVM " + pid + "'s user " + owner.getName());
                } catch (ConnectException e) {
                    ch.close();
                    tried.add(socket.getParent().getFileName() + " is left from an earlier process (" + e.getMessage() + ")");
                } catch (IOException | RuntimeException e) {
                    ch.close();
                    throw e;
                }
            }
            throw new ControlException("JVM " + pid + " has no control socket that answers"
                + (tried.isEmpty() ? "" : " (" + String.join("; ", tried) + ")"));
        }
    }

    /** The JVM did not answer a request in time. */
    public static final class ControlTimeout extends IOException {
        private static final long serialVersionUID = 1L;

        public ControlTimeout(String message) {
            super(message);
        }
    }

    /** No socket of the right owner answers for a pid, or one answers as another user. */
    public static final class ControlException extends IOException {
        private static final long serialVersionUID = 1L;

        public ControlException(String message) {
            super(message);
        }
    }
}
