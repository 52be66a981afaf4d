package fid.privctorref;
import java.util.function.Function;
public class Outer {
    private final String n;
    private Outer(String n) { this.n = n; }
    static class In { private final String v; private In(String v) { this.v = v; } }
    public static String make() { return new Outer("v1").n; }
}
