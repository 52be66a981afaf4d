package fid.anonlambdamove;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    static Supplier<String> kept, kept2;
    public static void setup() { kept = Outer.p().get(); kept2 = Outer.q().get(); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        line(s, "kept p", () -> kept.get());
        line(s, "kept q", () -> kept2.get());
        line(s, "new p", () -> Outer.p().get().get());
        line(s, "new q", () -> Outer.q().get().get());
        line(s, "v", () -> Outer.v());
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
