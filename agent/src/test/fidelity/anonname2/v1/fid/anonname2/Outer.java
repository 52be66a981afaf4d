package fid.anonname2;
import java.util.function.Supplier;
public class Outer {
    public static String make() {
        Supplier<String> s = new Supplier<String>() { public String get() { return "s"; } };
        return s.get() + "=" + s.getClass().getName();
    }
}
