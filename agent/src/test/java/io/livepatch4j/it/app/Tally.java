package io.livepatch4j.it.app;

/** A patched class whose code tells which generation ran it (the callback tests of issue 13). */
public class Tally {

    public static String version() {
        return "v1";
    }

    public static String mode() {
        return "none";
    }
}
