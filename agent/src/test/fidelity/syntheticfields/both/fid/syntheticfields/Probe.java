package fid.syntheticfields;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    public static void setup() { }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        line(s, "show", () -> new Order().show());
        // One line per field: prepared mode adds lp4j$shadow (a documented difference, known= in case.properties).
        Arrays.stream(Order.class.getDeclaredFields()).map(f -> Modifier.toString(f.getModifiers()) + " " + f.getName())
            .sorted().forEach(f -> line(s, "declared field", () -> f));
        line(s, "declared methods", () -> Arrays.stream(Order.class.getDeclaredMethods()).map(Method::getName).sorted().toList());
        line(s, "serializable fields", () -> ObjectStreamClass.lookupAny(Order.class).getFields().length);
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
