package io.livepatch4j.patch;

import java.util.List;

/**
 * The new version of one class that already exists in the running program.
 *
 * @param name         binary class name, {@code com.acme.Foo}
 * @param baseSha256   SHA-256 of the class bytes the patch was built against
 * @param targetBytes  the class as the new build compiled it
 * @param changes      what differs, as the patch compiler found it
 * @param reinitialize the patch re-initializes the class ({@code lp4j build --reinitialize}; see
 *                     {@link io.livepatch4j.patch.diff.Reinitialization}): the new generation gets
 *                     fresh static state from the whole new static initializer
 */
public record ClassPatch(String name, String baseSha256, byte[] targetBytes, List<Change> changes,
                         boolean reinitialize) {

    public ClassPatch {
        changes = List.copyOf(changes);
    }

    public ClassPatch(String name, String baseSha256, byte[] targetBytes, List<Change> changes) {
        this(name, baseSha256, targetBytes, changes, false);
    }

    public String targetSha256() {
        return Sha256.hex(targetBytes);
    }

    public String internalName() {
        return name.replace('.', '/');
    }
}
