package fid.enumbodyadded;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    static String before;
    public static void setup() { before = Pricing.price(1); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        line(s, "small", () -> Pricing.price(3));
        line(s, "large", () -> Pricing.price(30));
        return s.toString();
    }

    interface Line { Object get() throws Throwable; }

    /** One line "label: value"; a throw prints the exception's class, never a message with identities. */
    static void line(StringBuilder s, String label, Line l) {
        String v;
        try {
            v = String.valueOf(l.get());
        } catch (Throwable e) {
            v = "threw " + e.getClass().getName();
        }
        s.append(label).append(": ").append(v).append('\n');
    }
}
