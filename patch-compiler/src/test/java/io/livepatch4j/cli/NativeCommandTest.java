package io.livepatch4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** lp4j finds lp4j-native above its jar, but never runs one another user could have put there (issue 14). */
class NativeCommandTest {

    private static Path plant(Path top) throws Exception {
        Path bin = top.resolve("native/build/lp4j-native");
        Files.createDirectories(bin.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(bin, "#!/bin/sh\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(top.resolve("native"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(top.resolve("native/build"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    @Test
    void findsTheBinaryOfACheckoutOnlyItsOwnerCanWrite(@TempDir Path top) throws Exception {
        Path bin = plant(top);
        assertEquals(bin, NativeCommand.find(top.resolve("a/b")));
        assertNull(NativeCommand.find(Path.of("/proc/self")), "none above a folder without one");
    }

    @Test
    void refusesABinaryInAFolderOthersCanWrite(@TempDir Path top) throws Exception {
        plant(top);
        Files.setPosixFilePermissions(top.resolve("native/build"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Lp4jException e = assertThrows(Lp4jException.class, () -> NativeCommand.find(top.resolve("x")));
        assertEquals(Lp4jException.REFUSED, e.exitCode());
        assertTrue(e.getMessage().contains("can be written by group or others (mode 777)"), e.getMessage());
    }

    @Test
    void refusesABinaryAnotherUserPlanted(@TempDir Path top) throws Exception {
        int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        assumeTrue(me == 0, "needs root to give the file to nobody");
        Path bin = plant(top);
        Files.setAttribute(bin, "unix:uid", 65534);
        Lp4jException e = assertThrows(Lp4jException.class, () -> NativeCommand.find(top));
        assertTrue(e.getMessage().contains("belongs to uid 65534"), e.getMessage());
        assertTrue(e.getMessage().contains("LP4J_NATIVE"), e.getMessage());
    }
}
