package fid.enumbody;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    public static void setup() { Op.PLUS.apply(1, 2); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        for (Op o : Op.values()) line(s, o.name(), () -> o.apply(6, 3) + " " + o.symbol() + " " + o.getClass().getName() + " " + o.getDeclaringClass().getSimpleName());
        line(s, "valueOf", () -> Op.valueOf("MINUS").apply(1, 1));
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
