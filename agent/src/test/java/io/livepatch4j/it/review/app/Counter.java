package io.livepatch4j.it.review.app;

/** Review target for shadow fields. */
public class Counter {
    public int touch() {
        return 0;
    }
}
