package fid.anonprivate;
import java.util.function.Supplier;
public class Outer {
    private static String last = "none";
    public static Supplier<String> make(String n) {
        Runnable note = new Runnable() { public void run() { last = "noted " + n; } };
        note.run();
        return new Supplier<String>() { public String get() { return "existing " + n; } };
    }
    public static String last() { return last; }
}
