package fid.widened.a; public class Util { public static String secret() { return "s"; } public String name() { return "n"; } public static Util make() { return new Util(); } }
