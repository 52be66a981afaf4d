package io.livepatch4j.it.review.app;

/** Review of issue 13: an object that exists before a patch adds a field to its class. */
public class R13Obj {
    public int get() {
        return -1;
    }

    public void set(int v) {
    }
}
