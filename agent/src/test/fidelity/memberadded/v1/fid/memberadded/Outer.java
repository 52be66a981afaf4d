package fid.memberadded;
public class Outer {
    public static String run() { return "v1"; }
    public static String record() { return "v1"; }
    public static Class<?> helperClass() { return Outer.class; }
}
