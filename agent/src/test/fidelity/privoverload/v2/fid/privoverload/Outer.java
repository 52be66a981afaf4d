package fid.privoverload;
public class Outer {
    public String f(Object o) { return "obj"; }
    private String f(String s) { return "str:" + s; }
    public String g() { return f("x"); }
    public static class Nested { public static String call(Outer o) { return o.f("y"); } }
}
