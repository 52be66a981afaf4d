package fid.anonname;
public class Outer {
    public static String make() {
        Object b = new Object() { public String toString() { return "b"; } };
        return b + "=" + b.getClass().getName() + " anon=" + b.getClass().isAnonymousClass() + " simple='" + b.getClass().getSimpleName() + "'";
    }
}
