package fid.anonprivate;
import java.util.function.Supplier;
public class Outer {
    private static String last = "none";
    public static Supplier<String> make(String n) {
        return new Supplier<String>() { public String get() { return "existing " + n; } };
    }
    public static String last() { return last; }
}
