package io.livepatch4j.patch.sign;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 14, item 7: the private key is private from its first byte, and never written through a planted link. */
class KeygenFilesTest {

    @Test
    void thePrivateKeyIsReadableByItsOwnerOnly(@TempDir Path dir) throws Exception {
        PatchSigning.generate(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve(PatchSigning.PRIVATE_KEY_FILE))));
        assertTrue(PatchSigning.readPrivateKey(dir.resolve(PatchSigning.PRIVATE_KEY_FILE)) != null);
    }

    /** Issue 15's review: lp4j sign and the Maven plugin signed with a private key of mode 666. */
    @Test
    void aPrivateKeyOtherUsersCanReadOrWriteIsRefused(@TempDir Path dir) throws Exception {
        PatchSigning.generate(dir);
        Path key = dir.resolve(PatchSigning.PRIVATE_KEY_FILE);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-rw-"));
        IOException writable = assertThrows(IOException.class, () -> PatchSigning.readPrivateKey(key));
        assertTrue(writable.getMessage().contains("writable by other users (mode 666): chmod 600 " + key),
            writable.getMessage());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        IOException readable = assertThrows(IOException.class, () -> PatchSigning.readPrivateKey(key));
        assertTrue(readable.getMessage().contains("readable by other users (mode 640)"), readable.getMessage());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
        assertTrue(PatchSigning.readPrivateKey(key) != null, "the owner alone may read it");
    }

    @Test
    void aDanglingLinkWhereTheKeyGoesIsRefusedAndNothingIsWrittenThroughIt(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("elsewhere/stolen.key");
        Files.createDirectories(target.getParent());
        Path keys = Files.createDirectories(dir.resolve("keys"));
        Files.createSymbolicLink(keys.resolve(PatchSigning.PRIVATE_KEY_FILE), target);
        IOException e = assertThrows(IOException.class, () -> PatchSigning.generate(keys));
        assertTrue(e.getMessage().contains("never writes through an existing name"), e.getMessage());
        assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS), "nothing was written where the link points");
    }

    @Test
    void keysAreNotWrittenWhereAnotherUserCouldReplaceThem(@TempDir Path dir) throws Exception {
        Path open = Files.createDirectories(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class, () -> PatchSigning.generate(open));
        assertTrue(e.getMessage().contains("can be written by group or others"), e.getMessage());
        assertFalse(Files.exists(open.resolve(PatchSigning.PRIVATE_KEY_FILE)));
    }

    @Test
    void aTrustedKeyAnotherUserCouldHaveChangedIsRefused(@TempDir Path dir) throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        Path pub = PatchSigning.generate(keys);
        assertEquals(1, PatchSigning.readTrustedKeys(pub).size());
        Files.setPosixFilePermissions(pub, PosixFilePermissions.fromString("rw-rw-rw-"));
        IOException file = assertThrows(IOException.class, () -> PatchSigning.readTrustedKeys(pub));
        assertTrue(file.getMessage().contains("trusted key " + pub + " is refused"), file.getMessage());
        Files.setPosixFilePermissions(pub, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException folder = assertThrows(IOException.class, () -> PatchSigning.readTrustedKeys(keys));
        assertTrue(folder.getMessage().contains("can be written by group or others"), folder.getMessage());
    }
}
