package fid.innerouter;
public class Outer {
    String name = "outer";
    public class Inner { public String hi() { return "v1"; } }
    public Inner make() { return new Inner(); }
}
