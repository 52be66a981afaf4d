package fid.nestctorin;
public class Outer { public static String get() { return "v1"; } }
