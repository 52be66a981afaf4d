package fid.lambdanamed;
import java.util.function.Function;
public class Handler {
    public static Function<String, String> handler(boolean ok) {
        Function<String, String> onSuccess = r -> "OK: " + r;
        Function<String, String> onFailure = r -> "FAILED: " + r;
        return ok ? onSuccess : onFailure;
    }
}
