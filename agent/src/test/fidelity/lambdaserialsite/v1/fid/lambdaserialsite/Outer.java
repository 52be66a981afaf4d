package fid.lambdaserialsite;
import java.io.Serializable;
import java.util.function.Supplier;
public class Outer {
    static int calls;
    public static Supplier<String> make() { return (Supplier<String> & Serializable) () -> "made"; }
    public static String tag() { return "v1"; }
}
