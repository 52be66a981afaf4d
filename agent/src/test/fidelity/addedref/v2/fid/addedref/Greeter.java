package fid.addedref;
import java.util.function.Supplier;
public interface Greeter {
    default String greet() { Supplier<String> s = Greeter::word; return polite(s.get()); }
    private String polite(String w) { return w + ", please"; }
    private static String word() { return "hi"; }
}
