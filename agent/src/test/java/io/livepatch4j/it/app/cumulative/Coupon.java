package io.livepatch4j.it.app.cumulative;

import java.util.function.Supplier;

/** CumulativePatchIT's class with a lambda, whose objects outlive the patches. */
public class Coupon {

    public Supplier<String> code() {
        return () -> "code-v1";
    }
}
