package fid.nestprivmix;
public class Outer {
    private String name = "o";
    private static int counter;
    private Outer(String name) { this.name = name; }
    public Outer() { }
    private String hello() { return "hello:" + name; }
    private static String shout(String s) { return s.toUpperCase(); }
    public static String methods() { return "v1"; }
    public static String write() { return "v1"; }
    public static String anonCtor() { return "v1"; }
}
