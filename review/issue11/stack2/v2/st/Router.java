package st;
import java.util.function.Supplier;
public class Router {
    public static String route(Kind k) { switch (k) { case A: return "a2"; case B: return "b2"; case C: return "c2"; default: return "other2"; } }
    static class Inner { static String route(Kind k) { switch (k) { case C: return "inner-c1"; default: return "inner-other1"; } } }
    public static String inner(Kind k) { return Inner.route(k); }
    public static Supplier<String> make() { return () -> "lambda"; }
}
