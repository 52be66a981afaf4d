package fid.staticbody;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    public static void setup() { Maths.twice(1); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        line(s, "twice(5)", () -> Maths.twice(5));
        line(s, "by reflection", () -> Maths.class.getMethod("twice", int.class).invoke(null, 7));
        line(s, "by MethodHandle", () -> (int) MethodHandles.lookup().findStatic(Maths.class, "twice",
            MethodType.methodType(int.class, int.class)).invokeExact(9));
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
