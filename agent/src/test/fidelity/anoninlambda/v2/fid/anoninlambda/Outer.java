package fid.anoninlambda;
import java.util.function.Supplier;
public class Outer {
    public static Supplier<Supplier<String>> first() {
        return () -> new Supplier<String>() { public String get() { return "made by first"; } };
    }
    public static Supplier<Supplier<String>> make() {
        return () -> new Supplier<String>() { public String get() { return "made by make"; } };
    }
}
