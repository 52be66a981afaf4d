package io.livepatch4j.it.review.app;

/** Review of issue 13: a subclass to which a patch adds an override of an added method. */
public class R13Kid extends R13Base {
    public String who() {
        return "kid";
    }
}
