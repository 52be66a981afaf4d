package fid.anonten;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    static List<Supplier<String>> kept;
    public static void setup() { kept = new ArrayList<>(Outer.many()); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < kept.size(); i++) { int j = i; line(s, "kept" + j, () -> kept.get(j).get()); }
        line(s, "new", () -> Outer.many().get(0).get());
        line(s, "early", () -> Outer.early());
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
