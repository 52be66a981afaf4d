package demo;

import java.util.function.Supplier;

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
