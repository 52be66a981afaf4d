package fid.anonswapedit;
import java.util.function.Supplier;
public class Outer {
    public static Supplier<String> make(boolean on) {
        if (on) return new Supplier<String>() { public String get() { return "off"; } };
        System.getProperty("x");
        return new Supplier<String>() { public String get() { return "on"; } };
    }
}
