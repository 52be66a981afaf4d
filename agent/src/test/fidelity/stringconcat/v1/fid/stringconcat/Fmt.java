package fid.stringconcat;
public class Fmt { public static String row(String k, int v) { return k + "=" + v; } }
