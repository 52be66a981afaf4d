package fid.fieldhide;
public class Sub extends Base {
    static String label;
    public static String tag() { if (label == null) label = "sub"; return "v2 " + label; }
}
