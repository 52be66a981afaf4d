package fid.superargsbody;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    static User kept;
    public static void setup() { kept = new User(" k "); new Admin("x"); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        line(s, "name", () -> new User(" u ").name());
        line(s, "tag", () -> new User(" u ").tag());
        line(s, "admin", () -> new Admin(" a").name() + "|" + new Admin(" a").tag());
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
