package io.livepatch4j.it.app;

import java.util.ArrayList;
import java.util.List;

/** Static state built by a static initializer, for the static-initializer tests of issue 13. */
public class Settings {

    static final List<String> NAMES = new ArrayList<>(List.of("a"));

    public static String names() {
        return NAMES.toString();
    }

    public static String extra() {
        return "none";
    }

    static String version() {
        return "v1";
    }
}
