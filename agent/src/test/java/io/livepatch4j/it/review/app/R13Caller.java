package io.livepatch4j.it.review.app;

/** Review of issue 13: patched code that calls an added overridable method. */
public class R13Caller {
    public static String call(R13Base b) {
        return "v1 " + b.who();
    }
}
