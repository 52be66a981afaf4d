package fid.nestenum;
public class Outer { public static String ops() { return "v1"; } public static String pair() { return "v1"; } }
