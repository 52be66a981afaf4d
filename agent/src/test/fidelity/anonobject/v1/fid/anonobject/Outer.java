package fid.anonobject;
public class Outer {
    public static String version() { return "v1"; }
    public static Object make() {
        return new Object() { public String toString() { return "b"; } };
    }
}
