package fid.enummethod;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    static Color kept;
    public static void setup() { kept = Color.GREEN; kept.label(); }
    static String where(Color c) { switch (c) { case RED: return "r"; case GREEN: return "g"; case BLUE: return "b"; default: return "?"; } }
    public static String observe() {
        StringBuilder s = new StringBuilder();
        line(s, "label", () -> kept.label());
        line(s, "warmth (switch in the enum)", () -> Color.RED.warmth() + "," + Color.BLUE.warmth());
        line(s, "valueOf", () -> Color.valueOf("BLUE"));
        line(s, "Enum.valueOf", () -> Enum.valueOf(Color.class, "RED"));
        line(s, "values", () -> Arrays.toString(Color.values()));
        line(s, "getEnumConstants", () -> Arrays.toString(Color.class.getEnumConstants()));
        line(s, "EnumSet.allOf", () -> EnumSet.allOf(Color.class));
        line(s, "EnumMap", () -> { EnumMap<Color, Integer> m = new EnumMap<>(Color.class); m.put(Color.BLUE, 1); return m; });
        line(s, "switch in an unchanged class", () -> where(Color.RED) + where(kept) + where(Color.BLUE));
        line(s, "isEnum", () -> Color.class.isEnum() + " " + Color.RED.getDeclaringClass().getSimpleName());
        line(s, "declared methods", () -> Arrays.stream(Color.class.getDeclaredMethods()).filter(m -> !m.isSynthetic())
            .map(Method::getName).sorted().toList());
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
