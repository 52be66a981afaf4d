package fid.assertiface;
public interface Shape {
    String name();
    default int half(int x) { assert x % 2 == 0 : "odd"; return (x >> 1) + 100; }
    static Shape named(String n) { return new Shape() { public String name() { return "anon " + n; } }; }
}
