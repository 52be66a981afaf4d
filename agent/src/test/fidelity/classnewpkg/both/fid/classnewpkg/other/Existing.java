package fid.classnewpkg.other;
public class Existing { public static String x() { return "existing"; } }
