package fid.lambdaserial;
import java.io.Serializable;
import java.util.function.Supplier;
public class Outer {
    static Supplier<String> pre = () -> "none";
    public static Supplier<String> first() { return pre; }
    public static Supplier<String> make() {
        pre = (Supplier<String> & Serializable) () -> "inserted";
        return (Supplier<String> & Serializable) () -> "made";
    }
}
