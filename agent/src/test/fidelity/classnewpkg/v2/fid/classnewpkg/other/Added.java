package fid.classnewpkg.other;
public class Added { public static String a() { return "added:" + Existing.x() + ":" + (Added.class.getPackage() == Existing.class.getPackage()); } }
