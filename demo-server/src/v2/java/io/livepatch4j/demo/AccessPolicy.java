package io.livepatch4j.demo;

/**
 * Decides whether a request may go on: keys under private/ need the server's API key in the
 * X-Api-Key header. Runs early in every request and stamps its code version.
 *
 * <p>VERSIONED: src/v1 and src/v2 hold this class with the same fields, constructor and header;
 * only {@link #admits} differs (v1 has the leak, v2 the fix) and v2 adds a private static helper
 * after it. Keep unchanged lines in place, so only the intended methods differ in the class file.
 */
final class AccessPolicy {

    private final String apiKey;

    AccessPolicy(String apiKey) {
        this.apiKey = apiKey;
    }

    /** Stamps {@code access=<version>}, then says whether the request may touch its key. */
    boolean admits(Operation operation, String presentedKey, ServedBy servedBy) {
        servedBy.stamp("access=v2");
        if (!operation.touchesPrivateKey()) {
            return true;
        }
        // The fix: the whole key must match, compared in constant time. (Inline, not a helper method:
        // a patch that only changes method bodies can also be applied with the redefine strategy,
        // which the benchmarks compare.)
        return presentedKey != null && java.security.MessageDigest.isEqual(
                apiKey.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                presentedKey.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
