package fid.anonlambdamove;
import java.util.function.Supplier;
public class Outer {
    public static String v() { return "v1"; }
    public static Supplier<Supplier<String>> p() { return () -> new Supplier<String>() { public String get() { return "p"; } }; }
    public static Supplier<Supplier<String>> q() { return () -> new Supplier<String>() { public String get() { return "q"; } }; }
}
