package fid.widened.b; public class User { public static String get() { return "none"; } }
