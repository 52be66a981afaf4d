package fid.fieldhide;
public class Sub extends Base { public static String tag() { return "v1"; } }
