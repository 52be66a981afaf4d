package io.livepatch4j.servers.app;

/** v2 of Pair: both methods change. */
public final class Pair {

    private Pair() {}

    public static String first() {
        return "v2";
    }

    public static String second() {
        return "v2";
    }
}
