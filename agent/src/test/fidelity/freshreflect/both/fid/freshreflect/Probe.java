package fid.freshreflect;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    static Supplier<String> kept;
    public static void setup() { kept = Outer.make(); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        line(s, "kept", () -> kept.get());
        for (int i = 0; i < 3; i++) { int k = i; Supplier<String> o = Outer.all().get(k);
            line(s, "get" + k, () -> o.get());
            line(s, "anon" + k, () -> o.getClass().isAnonymousClass());
            line(s, "local" + k, () -> o.getClass().isLocalClass());
            line(s, "simple" + k, () -> o.getClass().getSimpleName());
            line(s, "canon" + k, () -> o.getClass().getCanonicalName());
            line(s, "encl" + k, () -> o.getClass().getEnclosingClass());
            line(s, "method" + k, () -> o.getClass().getEnclosingMethod());
            line(s, "nesthost" + k, () -> o.getClass().getNestHost());
            line(s, "mods" + k, () -> Modifier.toString(o.getClass().getModifiers()));
        }
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
