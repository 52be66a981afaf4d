package io.livepatch4j.it.review.app;

/** Review target: reports which version of its code runs. */
public class Rv {
    public static String v() {
        return "v1";
    }
}
