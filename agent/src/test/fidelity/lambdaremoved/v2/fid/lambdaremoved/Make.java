package fid.lambdaremoved;
import java.util.function.Supplier;
public class Make {
    public static Supplier<String> pre() { return Make::constant; }
    public static Supplier<String> keep() { return () -> "kept-body"; }
    public static String use() { return pre().get() + "+" + keep().get(); }
    private static String constant() { return "pre-ref"; }
}
