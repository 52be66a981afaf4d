package io.livepatch4j.it.review.app.r27;

/** Review 27: one of the classes that make a transition's changed-method check big enough to share over workers. */
public class R27Filler6 {

    public static String f() {
        return "f1";
    }
}
