package fid.anonswitchname;
import java.util.function.Supplier;
public class Router {
    public static String route(Kind k) { return "none"; }
    private static Runnable other() { return new Runnable() { public void run() { } }; }
    public static Supplier<String> make() { return new Supplier<String>() { public String get() { return "anon1"; } }; }
}
