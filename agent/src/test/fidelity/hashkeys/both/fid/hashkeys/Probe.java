package fid.hashkeys;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    static final Map<Key, String> MAP = new HashMap<>();
    static final Set<Key> SET = new HashSet<>();
    public static void setup() { MAP.put(new Key("Alpha"), "a"); SET.add(new Key("Beta")); }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        line(s, "get Alpha", () -> MAP.get(new Key("Alpha")));
        line(s, "get alpha", () -> MAP.get(new Key("alpha")));
        line(s, "contains Beta", () -> SET.contains(new Key("Beta")));
        line(s, "size after put alpha", () -> { Map<Key, String> m = new HashMap<>(MAP); m.put(new Key("alpha"), "b"); return m.size(); });
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
