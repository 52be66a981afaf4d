package fid.nestctor;
public class Outer {
    private final String name;
    private Outer(String name) { this.name = name; }
    public static Outer of(String n) { return new Outer(n); }
    public String name() { return name; }
    static class Builder { private String n = "built"; Outer build() { return new Outer(n); } }
    static class Special extends Outer { Special() { super("special"); } }
    public static String viaBuilder() { return new Builder().build().name(); }
    public static String viaSub() { return new Special().name(); }
}
