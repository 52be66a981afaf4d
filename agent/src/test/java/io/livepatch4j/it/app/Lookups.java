package io.livepatch4j.it.app;

import java.util.ArrayList;
import java.util.List;

/** The default lookups the static state of {@link Defaults} is built from (the re-initialization tests of issue 13). */
public class Lookups {

    static List<String> defaults() {
        return new ArrayList<>(List.of("base64", "url", "script"));
    }
}
