package fid.nestadded;
public class Outer {
    private final String name;
    public Outer(String name) { this.name = name; }
    public String show() { return Fmt.fmt(this); }
    static class Fmt { static String fmt(Outer o) { return "fancy " + o.name; } }
}
