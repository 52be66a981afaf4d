package fid.anonobject;
public class Outer {
    public static String version() { return "v2"; }
    public static Object make() {
        Object first = new Object() { public String toString() { return "a"; } };
        first.toString();
        return new Object() { public String toString() { return "b"; } };
    }
}
