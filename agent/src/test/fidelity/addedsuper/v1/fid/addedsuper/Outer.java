package fid.addedsuper;
public class Outer { public static String ant() { return "v1"; } public static String shape() { return "v1"; } }
