package fid.lambdaserialbody;
import java.io.Serializable;
import java.util.function.Supplier;
public class Outer {
    public static Supplier<String> make() { return (Supplier<String> & Serializable) () -> "made 2"; }
}
