package fid.nestadded;
public class Outer {
    private final String name;
    public Outer(String name) { this.name = name; }
    public String show() { return "plain " + name; }
}
