package io.livepatch4j.it.review.app.r27;

/** Review 27: what the frames' methods call before and after they park; every patch changes it. */
public class R27Side {

    public static String tag() {
        return "s1";
    }
}
