package fid.nestprivmix;
public class Outer {
    private String name = "o";
    private static int counter;
    private Outer(String name) { this.name = name; }
    public Outer() { }
    private String hello() { return "hello:" + name; }
    private static String shout(String s) { return s.toUpperCase(); }
    static class Helper { String go(Outer o) { o.name = "set"; counter += 5; return shout(o.hello()) + counter; } }
    public static String methods() { return new Helper().go(new Outer()); }
    public static String write() { Outer o = new Outer(); new Helper().go(o); return o.name; }
    public static String anonCtor() { Outer o = new Outer("anon") { }; return o.hello(); }
}
