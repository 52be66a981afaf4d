package io.livepatch4j.it.review.app.r27;

/** Review 27: the source of R27State's static state; a patch changes it. */
public class R27StateSrc {

    static String src() {
        return "a1";
    }
}
