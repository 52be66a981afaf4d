package fid.anonnested;
import java.util.function.Supplier;
public class Outer {
    public static Supplier<Supplier<String>> first() {
        return new Supplier<Supplier<String>>() {
            public Supplier<String> get() { return new Supplier<String>() { public String get() { return "inner of first"; } }; }
        };
    }
    public static Supplier<Supplier<String>> make() {
        return new Supplier<Supplier<String>>() {
            public Supplier<String> get() { return new Supplier<String>() { public String get() { return "inner of make"; } }; }
        };
    }
}
