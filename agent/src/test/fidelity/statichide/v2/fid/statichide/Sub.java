package fid.statichide;
public class Sub extends Base {
    public static String tag() { return "v2 " + name(); }
    public static String name() { return "sub"; }
}
