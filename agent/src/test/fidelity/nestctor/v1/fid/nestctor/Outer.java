package fid.nestctor;
public class Outer {
    private final String name;
    private Outer(String name) { this.name = name; }
    public static Outer of(String n) { return new Outer(n); }
    public String name() { return name; }
    public static String viaBuilder() { return "v1"; }
    public static String viaSub() { return "v1"; }
}
