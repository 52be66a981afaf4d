package fid.classnewpkg.util;
public class Helper { public static String h() { return "helper:" + Helper.class.getPackageName(); } }
