package io.livepatch4j.it.review.app.r27;

/** Review 27: static state built from R27StateSrc; a patch re-initializes it with the same code. */
public class R27State {

    public static final String S = R27StateSrc.src();
}
