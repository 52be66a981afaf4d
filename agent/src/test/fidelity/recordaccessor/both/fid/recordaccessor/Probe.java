package fid.recordaccessor;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    static Point kept;
    public static void setup() { kept = new Point(1, 2); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        Point p = new Point(3, 4);
        line(s, "kept.x", () -> kept.x());
        line(s, "new x,y", () -> p.x() + "," + p.y());
        line(s, "equals", () -> p.equals(new Point(3, 4)) + " " + p.equals(kept));
        line(s, "hashCode", () -> p.hashCode() == new Point(3, 4).hashCode());
        line(s, "toString", () -> p.toString());
        line(s, "components", () -> Arrays.stream(Point.class.getRecordComponents()).map(c -> {
            try { return c.getName() + "=" + c.getAccessor().invoke(p); } catch (Exception e) { return e.getClass().getName(); }
        }).toList());
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
