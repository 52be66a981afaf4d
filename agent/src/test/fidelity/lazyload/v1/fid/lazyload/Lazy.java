package fid.lazyload;
import java.util.function.Supplier;
public class Lazy {
    public static String route(Kind k) { switch (k) { case A: return "a"; default: return "other"; } }
    public static Supplier<String> make() { return new Supplier<String>() { public String get() { return "s1"; } }; }
}
