package st;
import java.util.function.Supplier;
public class Router {
    public static String route(Kind k) { switch (k) { case A: return "a1"; case B: return "b1"; default: return "other1"; } }
    public static Supplier<String> make() { return new Supplier<String>() { public String get() { return "anon1"; } }; }
}
