package fid.anonswap;
import java.util.function.Supplier;
public class Handlers {
    @SuppressWarnings("unchecked")
    public static Supplier<String>[] make() {
        Supplier<String> onSuccess = new Supplier<String>() { public String get() { return "failed"; } };
        Supplier<String> onFailure = new Supplier<String>() { public String get() { return "ok"; } };
        return new Supplier[] { onSuccess, onFailure };
    }
}
