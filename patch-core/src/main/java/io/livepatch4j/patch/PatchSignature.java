package io.livepatch4j.patch;

/**
 * An Ed25519 signature over the exact bytes of a patch's {@code patch.json}.
 *
 * @param keyId     SHA-256 (hex) of the X.509 encoding of the public key that verifies it
 * @param signature the raw signature bytes
 */
public record PatchSignature(String algorithm, String keyId, byte[] signature) {
}
