package io.livepatch4j.it.review.app;

import java.util.List;
import java.util.function.Supplier;

/** Review target: two lambdas of the same kind in one method (onSuccess, onFailure). */
public class Lam {
    public static List<Supplier<String>> callbacks() {
        Supplier<String> onSuccess = () -> "FAILED";
        Supplier<String> onFailure = () -> "ok";
        return List.of(onSuccess, onFailure);
    }
}
