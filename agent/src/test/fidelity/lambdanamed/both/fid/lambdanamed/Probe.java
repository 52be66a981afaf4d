package fid.lambdanamed;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    static Function<String, String> keptSuccess, keptFailure;
    public static void setup() { keptSuccess = Handler.handler(true); keptFailure = Handler.handler(false); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        line(s, "kept onSuccess", () -> keptSuccess.apply("r1"));
        line(s, "kept onFailure", () -> keptFailure.apply("r2"));
        line(s, "new onSuccess", () -> Handler.handler(true).apply("r3"));
        line(s, "new onFailure", () -> Handler.handler(false).apply("r4"));
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
