package fid.anonswitchname;
import java.util.function.Supplier;
public class Router {
    public static String route(Kind k) { switch (k) { case A: return "a"; case B: return "b"; default: return "other"; } }
    public static Supplier<String> make() { return new Supplier<String>() { public String get() { return "anon2"; } }; }
}
