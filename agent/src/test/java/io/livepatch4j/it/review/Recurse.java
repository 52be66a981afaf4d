package io.livepatch4j.it.review;

/** Not prepared, never patched: only adds frames. */
public final class Recurse {
    private Recurse() {}

    public static void down(int n, Runnable atBottom) {
        if (n <= 0) {
            atBottom.run();
            return;
        }
        down(n - 1, atBottom);
    }
}
