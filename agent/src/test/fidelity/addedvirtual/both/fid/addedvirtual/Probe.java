package fid.addedvirtual;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    static Shape c, q, t;
    public static void setup() { c = new Circle(); q = new Square(); t = new Triangle(); App.describe(c); App.kind((Kind) c); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        line(s, "circle", () -> App.describe(c));
        line(s, "square", () -> App.describe(q));
        line(s, "triangle", () -> App.describe(t));
        line(s, "kindc", () -> App.kind((Kind) c));
        line(s, "kinds", () -> App.kind((Kind) q));
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
