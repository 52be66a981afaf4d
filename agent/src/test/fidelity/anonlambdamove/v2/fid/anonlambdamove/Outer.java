package fid.anonlambdamove;
import java.util.function.Supplier;
public class Outer {
    public static String v() { return "v2"; }
    public static Supplier<Supplier<String>> q() { return () -> new Supplier<String>() { public String get() { return "q"; } }; }
    public static Supplier<Supplier<String>> p() { return () -> new Supplier<String>() { public String get() { return "p"; } }; }
}
