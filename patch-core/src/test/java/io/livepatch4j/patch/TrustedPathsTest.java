package io.livepatch4j.patch;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What lp4j and the agent trust (an agent jar to load, a key, a binary to run): only files no other
 * user could have put there or changed (issue 14 review, F10 and F12: a planted agent jar beside
 * lp4j.jar in /tmp ran as root; a public key in a folder everyone could write was swapped).
 */
class TrustedPathsTest {

    @Test
    void aFileInAPrivateFolderIsTrustedAndOneInAFolderEveryoneWritesIsNot(@TempDir Path dir) throws Exception {
        Path mine = Files.writeString(Files.createDirectories(dir.resolve("mine")).resolve("agent.jar"), "jar");
        assertNull(TrustedPaths.whyUntrusted(mine));
        Path open = Files.createDirectories(dir.resolve("open"));
        Path planted = Files.writeString(open.resolve("agent.jar"), "jar");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(TrustedPaths.whyUntrusted(planted).contains("can be written by group or others"));
        assertTrue(new ProcessBuilder("chmod", "1777", open.toString()).start().waitFor() == 0);
        assertNull(TrustedPaths.whyUntrusted(planted), "in a sticky folder no one else can replace it");
        Path link = dir.resolve("mine/link.jar");
        Files.createSymbolicLink(link, planted);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(TrustedPaths.whyUntrusted(link).contains("open"), "a link is judged by where it leads");
    }

    @Test
    void aFileOfAnotherUserIsNotTrusted(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a file away");
        Path planted = Files.writeString(dir.resolve("agent.jar"), "jar");
        Files.setOwner(planted, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        assertTrue(TrustedPaths.whyUntrusted(planted).contains("belongs to uid"));
    }
}
