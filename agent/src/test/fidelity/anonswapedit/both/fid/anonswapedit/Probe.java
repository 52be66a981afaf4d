package fid.anonswapedit;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    static Supplier<String> kept, kept2;
    public static void setup() { kept = Outer.make(true); kept2 = Outer.make(false); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        line(s, "kept true", () -> kept.get());
        line(s, "kept false", () -> kept2.get());
        line(s, "new true", () -> Outer.make(true).get());
        line(s, "new false", () -> Outer.make(false).get());
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
