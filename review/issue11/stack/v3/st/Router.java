package st;
import java.util.function.Supplier;
public class Router {
    public static String route(Kind k) { switch (k) { case A: return "a3"; case B: return "b2"; case C: return "c2"; default: return "other2"; } }
    public static Supplier<String> make() {
        Runnable r = new Runnable() { public void run() { } };
        r.run();
        return new Supplier<String>() { public String get() { return "anon3"; } };
    }
}
