package io.livepatch4j.it.review.app;

/** Review of issue 13: tells which generation runs. */
public class R13Tally {
    public static String version() {
        return "v1";
    }
}
