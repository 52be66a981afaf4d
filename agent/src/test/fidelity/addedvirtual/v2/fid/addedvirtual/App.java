package fid.addedvirtual;
public class App { public static String describe(Shape s) { return s.label() + ":" + s.area(); } public static String kind(Kind k) { return k.kind(); } }
