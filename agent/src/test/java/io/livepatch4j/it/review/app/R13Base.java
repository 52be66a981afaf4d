package io.livepatch4j.it.review.app;

/** Review of issue 13: a base class to which patches add an overridable method. */
public class R13Base {
    public String who() {
        return "base";
    }
}
