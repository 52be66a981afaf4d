package fid.innerouter;
public class Outer {
    String name = "outer";
    public class Inner { public String hi() { return "v2:" + name; } }
    public Inner make() { return new Inner(); }
}
