package io.livepatch4j.cli;

import io.livepatch4j.control.ControlSockets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Lets the JDK's Attach API reach a JVM in lp4j's pid namespace but another mount namespace: lp4j in
 * a debug container that shares the pod's process namespace (kubectl debug --target), or in a
 * sandbox with a /tmp of its own. JDK 17's Attach API looks for the JVM's attach socket
 * (/tmp/.java_pidPID) in the JVM's own /tmp, through /proc/PID/root, only when the JVM is in another
 * pid namespace; otherwise it looks in lp4j's /tmp, where there is none. lp4j then puts a link there,
 * .java_pidPID to /proc/PID/root/tmp/.java_pidPID, the socket HotSpotProcess checks, created new (an
 * existing name is refused, not followed) and removed when lp4j exits.
 */
final class AttachBridge {

    private AttachBridge() {}

    /** Makes the link if JVM {@code pid} needs it; does nothing otherwise. */
    static void ensure(long pid) throws Lp4jException {
        Path proc = Path.of("/proc", Long.toString(pid));
        if (ControlSockets.namespacePid(proc, pid) != pid || sameMountNamespace(proc)) {
            return; // the Attach API finds the socket by itself
        }
        Path link = Path.of(System.getProperty("java.io.tmpdir", "/tmp"), ".java_pid" + pid);
        Path socket = proc.resolve("root/tmp/.java_pid" + pid);
        try {
            Files.createSymbolicLink(link, socket);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (isLinkTo(link, socket)) {
                return; // made earlier by this lp4j run
            }
            throw new Lp4jException(Lp4jException.REFUSED, "JVM " + pid + " is in another mount namespace, and " + link
                + " already exists in lp4j's /tmp, where the Attach API would look for that JVM's socket; remove it "
                + "if it is stale, or run lp4j in the JVM's mount namespace", e);
        } catch (IOException e) {
            throw new Lp4jException(Lp4jException.TARGET, "JVM " + pid + " is in another mount namespace, and lp4j could "
                + "not make " + link + " for the Attach API (" + e.getMessage() + ")", e);
        }
        link.toFile().deleteOnExit();
    }

    private static boolean isLinkTo(Path link, Path target) {
        try {
            return Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)
                && Files.getOwner(link, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether process {@code proc} (/proc/PID) sees the same mounts as lp4j; true if that cannot be told. */
    static boolean sameMountNamespace(Path proc) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).equals(Files.readSymbolicLink(proc.resolve("ns/mnt")));
        } catch (IOException e) {
            return true; // cannot tell: leave the Attach API to look where it always does
        }
    }
}
