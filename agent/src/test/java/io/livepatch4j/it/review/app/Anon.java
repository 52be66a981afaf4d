package io.livepatch4j.it.review.app;

import java.util.function.Supplier;

/** Review target: an anonymous class, whose javac name ($1) depends on its position in the file. */
public class Anon {
    public static Supplier<String> a() {
        return new Supplier<String>() {
            @Override
            public String get() {
                return "a-v1";
            }
        };
    }
}
