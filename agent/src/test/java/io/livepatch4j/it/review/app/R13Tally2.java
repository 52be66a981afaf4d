package io.livepatch4j.it.review.app;

/** Review of issue 13: another class, for a patch a hook applies. */
public class R13Tally2 {
    public static String version() {
        return "v1";
    }
}
