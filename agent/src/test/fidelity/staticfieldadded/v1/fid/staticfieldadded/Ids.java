package fid.staticfieldadded;
public class Ids { public static String next(String p) { return p; } }
