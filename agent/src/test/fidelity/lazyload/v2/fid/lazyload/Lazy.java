package fid.lazyload;
import java.util.function.Supplier;
public class Lazy {
    public static String route(Kind k) { switch (k) { case A: return "a"; case C: return "c"; default: return "other"; } }
    public static Supplier<String> make() {
        Runnable r = new Runnable() { public void run() { } };
        r.run();
        return new Supplier<String>() { public String get() { return "s2"; } };
    }
}
