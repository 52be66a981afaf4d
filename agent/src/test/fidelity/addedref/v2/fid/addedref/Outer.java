package fid.addedref;
import java.util.function.*;
public class Outer implements Greeter {
    private final String name;
    public Outer(String name) { this.name = name; }
    public String run() { Function<String, String> f = this::decorate; Supplier<String> g = this::plain; return f.apply(name) + g.get(); }
    private String decorate(String s) { return "[" + s + "]"; }
    private String plain() { return "!"; }
    private static String twice(String s) { return s + s; }
    public static String stat() { UnaryOperator<String> u = Outer::twice; BiFunction<Outer, String, String> b = Outer::decorate; return u.apply("s2") + b.apply(new Outer("z"), "q"); }
    public class Inner { public String show() { return "inner " + decorate(name) + Outer.twice("x"); } }
}
