package fid.staticviasub;
public class Caller {
    public static String call() { return "v1"; }
    public static String field() { return "v1"; }
    public static String ref() { return "v1"; }
}
