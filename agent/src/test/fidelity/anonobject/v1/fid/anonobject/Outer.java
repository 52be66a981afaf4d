package fid.anonobject;
public class Outer {
    public static Object make() {
        return new Object() { public String toString() { return "b"; } };
    }
}
