package fid.ctoradded;
public class P extends Base {
    final int x; private final String extra;
    public P(int x) { super("p"); this.x = x; this.extra = "e"; }
    P() { this(2); }
    P(String s, int y) { super("base-" + s); this.x = y * 10; this.extra = s; }
    P(String s) { this(s, s.length()); }
    public static P of() { return new P(); }
    public static String two() { P p = new P("ab", 4); return p.name() + "/" + p.x + "/" + p.extra; }
    public static String three() { P p = new P("xyz"); return p.name() + "/" + p.x + "/" + p.extra; }
    public int x() { return x; }
    public static String maker() { return Maker.make(); }
}
