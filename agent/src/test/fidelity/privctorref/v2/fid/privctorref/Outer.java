package fid.privctorref;
import java.util.function.Function;
public class Outer {
    private final String n;
    private Outer(String n) { this.n = n; }
    static class In { private final String v; private In(String v) { this.v = v; } }
    public static String make() { Function<String, Outer> f = Outer::new; Function<String, In> g = In::new; return new Outer("a").n + f.apply("b").n + new In("c").v + g.apply("d").v; }
}
