package fid.anonextlocal;
import java.util.function.Supplier;
public class Outer {
    public static Supplier<String> a() { return () -> "a1"; }
    public static Supplier<String> b() {
        class Local implements Supplier<String> { public String get() { return "local"; } }
        return new Local() { public String get() { return "b1"; } };
    }
}
