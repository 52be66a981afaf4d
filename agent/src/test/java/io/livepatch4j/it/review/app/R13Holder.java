package io.livepatch4j.it.review.app;

/** Review of issue 13: an object alive across a patch and its rollback. */
public class R13Holder {
    public String get() {
        return "v1";
    }
}
