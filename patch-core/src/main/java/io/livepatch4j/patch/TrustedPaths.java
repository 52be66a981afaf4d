package io.livepatch4j.patch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Whether a file that lp4j or the agent is about to trust (the agent jar it loads into a JVM, the
 * keys that decide which patches a JVM takes, the native binary it runs) could have been put there
 * or changed by another user: lp4j often runs as root, in folders every user can write
 * (docs/security.md). A path is trusted when it, followed to the real file, and every folder above
 * that file belong to this user or root and no one else may write them; a sticky folder such as
 * /tmp may be writable by all, since no one else can replace what is in it.
 */
public final class TrustedPaths {

    private TrustedPaths() {}

    /** Why another user could have changed {@code path} or put it there, or null if no one else could. */
    public static String whyUntrusted(Path path) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            return path + " cannot be read (" + e.getMessage() + ")";
        }
        try {
            int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            for (Path p = real; p != null; p = p.getParent()) {
                int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if (uid != me && uid != 0) {
                    return p + " belongs to uid " + uid;
                }
                boolean sticky = (mode & 01000) != 0 && p != real;
                if ((mode & 0022) != 0 && !sticky) {
                    return p + " can be written by group or others (mode " + Integer.toOctalString(mode & 07777) + ")";
                }
            }
            return null;
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return "who owns " + real + " cannot be checked (" + e.getMessage() + ")";
        }
    }
}
