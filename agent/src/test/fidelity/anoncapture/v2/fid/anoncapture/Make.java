package fid.anoncapture;
import java.util.function.Supplier;
public class Make {
    public static Supplier<String> make(String a, int b) {
        return new Supplier<String>() { public String get() { return "a=" + a + " b=" + b; } };
    }
}
