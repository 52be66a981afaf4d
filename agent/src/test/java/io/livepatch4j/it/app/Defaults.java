package io.livepatch4j.it.app;

import java.util.List;

/**
 * A shared default built once by the static initializer from another class's code, as commons-text's
 * InterpolatorStringLookup.INSTANCE is: patching that code does not change what was built.
 */
public class Defaults {

    static final List<String> LOOKUPS = Lookups.defaults();
    static int built = 1;

    public static String lookups() {
        return LOOKUPS + " built " + built;
    }
}
