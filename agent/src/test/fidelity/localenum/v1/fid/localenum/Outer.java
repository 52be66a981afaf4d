package fid.localenum;
import java.util.function.Supplier;
public class Outer {
    public static Supplier<String> a() { return () -> "a1"; }
    public static Supplier<String> b() {
        enum Color implements Supplier<String> { RED; public String get() { return "b"; } }
        return Color.RED;
    }
}
