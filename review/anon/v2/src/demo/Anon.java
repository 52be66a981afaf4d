package demo;

import java.util.function.Supplier;

public class Anon {
    public static Supplier<String> b() {
        return new Supplier<String>() {
            @Override
            public String get() {
                return "b-v2";
            }
        };
    }

    public static Supplier<String> a() {
        return new Supplier<String>() {
            @Override
            public String get() {
                return "a-v2";
            }
        };
    }
}
