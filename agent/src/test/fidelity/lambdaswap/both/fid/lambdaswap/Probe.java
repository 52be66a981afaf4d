package fid.lambdaswap;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    static IntUnaryOperator keptInc, keptOther;
    public static void setup() { keptInc = Pick.pick(true); keptOther = Pick.pick(false); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        line(s, "kept pick(true)(5)", () -> keptInc.applyAsInt(5));
        line(s, "kept pick(false)(5)", () -> keptOther.applyAsInt(5));
        line(s, "new pick(true)(5)", () -> Pick.pick(true).applyAsInt(5));
        line(s, "new pick(false)(5)", () -> Pick.pick(false).applyAsInt(5));
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
