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
}
