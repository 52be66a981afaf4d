package fid.classnewpkg;
public class Main { public static String run() { return "v1"; } public static String sameLoader() { return "v1"; } }
