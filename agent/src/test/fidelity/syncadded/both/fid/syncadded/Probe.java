package fid.syncadded;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    static Counter c;
    public static void setup() { c = new Counter(); c.locked(); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        line(s, "locked", () -> c.locked());
        line(s, "slocked", () -> Counter.slocked());
        line(s, "boom", () -> { c.boom(); return "no"; });
        line(s, "free", () -> { boolean[] ok = {false}; Thread t = new Thread(() -> { synchronized (c) { ok[0] = true; } }); t.start(); t.join(5000); return ok[0]; });
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
