package fid.assertiface;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    public static void setup() { new Impl().half(2); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        line(s, "half", () -> new Impl().half(6));
        line(s, "odd", () -> new Impl().half(7));
        line(s, "anon", () -> Shape.named("x").name());
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
