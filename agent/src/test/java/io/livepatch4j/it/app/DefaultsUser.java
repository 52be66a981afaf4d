package io.livepatch4j.it.app;

/** Reads {@link Defaults}'s static state from another class. */
public class DefaultsUser {

    public static String describe() {
        return "using " + Defaults.LOOKUPS;
    }
}
