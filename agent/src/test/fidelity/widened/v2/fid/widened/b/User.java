package fid.widened.b; import fid.widened.a.Util; public class User { public static String get() { return Util.secret() + Util.make().name(); } }
