package fid.staticfieldadded;
public class Ids {
    private static long seq;
    public static String next(String p) { return p + (++seq); }
}
