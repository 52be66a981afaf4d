package io.livepatch4j.it.review.app;

/** Review target: a changed method whose frame sits below a deep stack of unchanged frames. */
public class Deep {
    public static String run(int depth, Runnable atBottom) {
        String a = helper();
        io.livepatch4j.it.review.Recurse.down(depth, atBottom);
        String b = helper();
        return "v1:" + a + "/" + b;
    }

    public static String helper() {
        return "v1";
    }
}
