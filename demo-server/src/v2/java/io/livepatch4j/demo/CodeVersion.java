package io.livepatch4j.demo;

/**
 * Which build of the demo this code is, for the READY line and /health. The response stamps do
 * not use it: each stamping method writes its version from its own body, so that a request that
 * ran old and new code shows it.
 *
 * <p>VERSIONED: the only difference between src/v1 and src/v2 is the value {@link #name} returns.
 */
final class CodeVersion {

    private CodeVersion() {}

    static String name() {
        return "v2";
    }
}
