package fid.patswitch;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    public static void setup() { Shapes.describe(new Circle(1)); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        for (Shape sh : new Shape[] { new Circle(1), new Circle(20), new Square(2), null }) line(s, String.valueOf(sh), () -> Shapes.describe(sh));
        for (Kind k : Kind.values()) line(s, k.name(), () -> Shapes.kind(k));
        line(s, "null kind", () -> Shapes.kind(null));
        return s.toString();
    }

    interface Line { Object get() throws Throwable; }

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
