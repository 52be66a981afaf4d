package fid.freshreflect;
import java.util.*;
import java.util.function.Supplier;
public class Outer {
    private static String TAG = "T";
    private static String tag() { return "!"; }
    public static Supplier<String> make() { return new Supplier<String>() { public String get() { return "one"; } }; }
    public static List<Supplier<String>> all() {
        return List.of(make(), make(), make());
    }
}
