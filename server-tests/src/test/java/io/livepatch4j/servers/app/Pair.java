package io.livepatch4j.servers.app;

/**
 * The code the patch changes (v1 here; v2 in src/test/resources/v2): two methods that every request
 * calls one after the other. A response "v1+v2" or "v2+v1" is a request that ran two generations.
 */
public final class Pair {

    private Pair() {}

    public static String first() {
        return "v1";
    }

    public static String second() {
        return "v1";
    }
}
