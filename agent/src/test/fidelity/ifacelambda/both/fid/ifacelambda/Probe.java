package fid.ifacelambda;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    static Named kept; static Supplier<String> old;
    public static void setup() { kept = new Impl(); old = kept.make(); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        line(s, "kept make", () -> kept.make().get());
        line(s, "old", () -> old.get());
        line(s, "both", () -> kept.both());
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
