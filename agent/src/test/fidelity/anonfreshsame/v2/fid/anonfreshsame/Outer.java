package fid.anonfreshsame;
import java.util.function.Supplier;
public class Outer {
    public static Supplier<String> a() {
        return new Supplier<String>() { public String get() { return new Supplier<String>() { public String get() { return "A"; } }.get(); } };
    }
    public static Supplier<String> b() {
        return new Supplier<String>() { public String get() { return new Supplier<String>() { public String get() { return "B"; } }.get(); } };
    }
    public static Supplier<String> z() { return new Supplier<String>() { public String get() { return "z"; } }; }
    public static Runnable y() { return new Runnable() { public void run() { } }; }
}
