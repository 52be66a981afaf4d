package fid.lambdaserialsite;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    static Supplier<String> kept;
    @SuppressWarnings("unchecked") static Supplier<String> roundTrip(Supplier<String> s) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) { o.writeObject(s); }
        try (ObjectInputStream i = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) { return (Supplier<String>) i.readObject(); }
    }
    public static void setup() { kept = Outer.make(); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        line(s, "tag", () -> Outer.tag());
        line(s, "kept", () -> kept.get());
        line(s, "kept round trip", () -> roundTrip(kept).get());
        line(s, "new round trip", () -> roundTrip(Outer.make()).get());
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
