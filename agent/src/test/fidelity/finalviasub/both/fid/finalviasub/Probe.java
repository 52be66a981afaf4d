package fid.finalviasub;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    static ASub s;
    public static void setup() { s = new ASub(); s.go(); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        line(s, "via", () -> Probe.s.go());
        line(s, "direct", () -> new ASub().go());
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
