package fid.assertiface;
public interface Shape {
    String name();
    default int half(int x) { return x / 2; }
    static Shape named(String n) { return new Shape() { public String name() { return "anon " + n; } }; }
}
