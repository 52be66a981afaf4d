package fid.anonobject;
public class Outer {
    static Object first;
    public static Object make() {
        first = new Object() { public String toString() { return "a"; } };
        return new Object() { public String toString() { return "b"; } };
    }
}
