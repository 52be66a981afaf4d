package st;
import java.util.function.Supplier;
public class Router {
    public static String route(Kind k) { switch (k) { case C: return "c3"; case B: return "b3"; case A: return "a3"; default: return "other3"; } }
    static class Inner { static String route(Kind k) { switch (k) { case B: return "inner-b3"; case C: return "inner-c3"; default: return "inner-other3"; } } }
    public static String inner(Kind k) { return Inner.route(k); }
    public static Supplier<String> make() { return () -> "lambda"; }
}
