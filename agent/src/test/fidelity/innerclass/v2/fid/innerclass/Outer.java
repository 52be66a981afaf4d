package fid.innerclass;
public class Outer {
    private String prefix = "p";
    public class Inner { public String tag(String s) { return prefix + "/" + s + "/" + prefix.length(); } }
}
