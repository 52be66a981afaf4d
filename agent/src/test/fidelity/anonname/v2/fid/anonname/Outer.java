package fid.anonname;
public class Outer {
    public static String make() {
        Object a = new Object() { public String toString() { return "a"; } };
        Object b = new Object() { public String toString() { return "b"; } };
        return a + "=" + a.getClass().getName() + " anon=" + a.getClass().isAnonymousClass() + " simple='" + a.getClass().getSimpleName() + "' "
             + b + "=" + b.getClass().getName() + " anon=" + b.getClass().isAnonymousClass() + " simple='" + b.getClass().getSimpleName() + "'";
    }
}
