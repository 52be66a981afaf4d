package io.livepatch4j.it.review.app;

import java.util.List;

/** Review of issue 13: static state built once by the initializer. */
public class R13Defaults {
    public static final List<String> LIST = R13Src.make();

    public static String get() {
        return "defaults " + LIST;
    }
}
