package io.livepatch4j.it.review.app.r27;

import java.util.function.Supplier;

/** Review 27: lambdas, in a static initializer too, and private members of a nested class. */
public class R27Lam {

    public static final Supplier<String> INIT = () -> "init1";

    private static final class Inner {
        private static String s = "s";

        private String secret() {
            return "secret";
        }
    }

    public static Supplier<String> make() {
        return () -> "m1";
    }

    public static String run() {
        return "v1";
    }
}
