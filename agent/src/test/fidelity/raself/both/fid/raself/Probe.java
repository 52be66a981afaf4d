package fid.raself;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    static Base before;
    public static void setup() { before = new Sub(); before.size(); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        line(s, "old", () -> before.size());
        line(s, "new", () -> new Sub().size());
        // The removed method, found the only way code of the new build could name it: by reflection.
        line(s, "removed", () -> Base.class.getDeclaredMethod("bound").invoke(before));
        return s.toString();
    }

    interface Line { Object get() throws Throwable; }

    /** One line "label: value"; a throw prints the exception's class, never a message with identities. */
    static void line(StringBuilder s, String label, Line l) {
        String v;
        try {
            v = String.valueOf(l.get());
        } catch (java.lang.reflect.InvocationTargetException e) {
            v = "threw " + e.getCause().getClass().getName();
        } catch (Throwable e) {
            v = "threw " + e.getClass().getName();
        }
        s.append(label).append(": ").append(v).append('\n');
    }
}
