package fid.anonremoved;
import java.util.function.Supplier;
public class Handlers {
    @SuppressWarnings("unchecked")
    public static Supplier<String>[] make() {
        Supplier<String> audit = new Supplier<String>() { public String get() { return "audit"; } };
        Supplier<String> handler = new Supplier<String>() { public String get() { return "handled " + 1; } };
        return new Supplier[] { audit, handler };
    }
}
