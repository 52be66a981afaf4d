package fid.classnewpkg;
public class Main { public static String run() { return fid.classnewpkg.util.Helper.h() + " " + fid.classnewpkg.other.Added.a(); }
  public static String sameLoader() { return "" + (fid.classnewpkg.util.Helper.class.getClassLoader() == Main.class.getClassLoader()); } }
