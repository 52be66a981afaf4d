package fid.anoninlambda2;
import java.util.function.Supplier;
public class Outer {
    public static Supplier<Supplier<String>> first() { return () -> () -> "none"; }
    public static Supplier<Supplier<String>> make() {
        return () -> new Supplier<String>() { public String get() { return "made by make"; } };
    }
}
