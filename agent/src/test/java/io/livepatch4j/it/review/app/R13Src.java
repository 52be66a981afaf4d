package io.livepatch4j.it.review.app;

import java.util.ArrayList;
import java.util.List;

/** Review of issue 13: the code a re-initialized class's initializer calls. */
public class R13Src {
    public static List<String> make() {
        return new ArrayList<>(List.of("old"));
    }

    public static String probe() {
        return "none";
    }
}
