package fid.widened.a; public class Util { static String secret() { return "s"; } String name() { return "n"; } public static Util make() { return new Util(); } }
