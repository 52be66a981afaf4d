package fid.memberadded;
public class Outer {
    static class Helper { String hi() { return "v2-helper"; } }
    record Point(int x, int y) { }
    public static String run() { return new Helper().hi(); }
    public static String record() { return new Point(1, 2).toString(); }
    public static Class<?> helperClass() { return Helper.class; }
}
