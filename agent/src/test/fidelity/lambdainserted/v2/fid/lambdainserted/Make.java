package fid.lambdainserted;
import java.util.function.Supplier;
public class Make {
    static String last = "none";
    public static Supplier<String> keep() {
        Supplier<String> pre = () -> "inserted-body";
        last = pre.get();
        return () -> "kept-body";
    }
    public static String last() { return last; }
}
