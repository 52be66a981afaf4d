package io.livepatch4j.it.review.app.r27;

/** Review 27: what R27Entry's methods call before and after they park. */
public class R27Tag {

    public static String tag() {
        return "t1";
    }
}
