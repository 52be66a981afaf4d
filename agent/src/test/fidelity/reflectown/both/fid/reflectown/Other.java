package fid.reflectown;
class Other { static String pkg = "pkg"; private static String priv = "x"; }
