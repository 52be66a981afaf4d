package fid.freshreflect;
import java.util.*;
import java.util.function.Supplier;
public class Outer {
    private static String TAG = "T";
    private static String tag() { return "!"; }
    public static Supplier<String> make() { return new Supplier<String>() { public String get() { return "one"; } }; }
    public static List<Supplier<String>> all() {
        class Local implements Supplier<String> { private String secret = "s"; private String hidden() { return "h" + TAG + tag(); } public String get() { return "local:" + hidden(); } }
        Supplier<String> two = new Supplier<String>() { public String get() { return "two:" + new Local().get() + new Local().secret + new Local().hidden(); } };
        return List.of(make(), two, new Local());
    }
}
