package fid.anonremoved;
import java.util.function.Supplier;
public class Handlers {
    @SuppressWarnings("unchecked")
    public static Supplier<String>[] make() {
        Supplier<String> handler = new Supplier<String>() { public String get() { return "handled " + 2 + " fixed".trim(); } };
        return new Supplier[] { null, handler };
    }
}
