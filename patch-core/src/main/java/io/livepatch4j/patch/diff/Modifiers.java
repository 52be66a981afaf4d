package io.livepatch4j.patch.diff;

import java.lang.reflect.Modifier;

/** Access flags in the words a Java developer writes them, for refusal messages. */
final class Modifiers {

    private Modifiers() {}

    static String ofClass(int access) {
        String s = Modifier.toString(access & (Modifier.PUBLIC | Modifier.FINAL | Modifier.ABSTRACT | Modifier.INTERFACE));
        if ((access & 0x4000) != 0) {
            s += " enum";
        }
        if ((access & 0x10000) != 0) {
            s += " record";
        }
        return nonEmpty(s.trim());
    }

    static String ofMethod(int access) {
        return nonEmpty(Modifier.toString(access & Modifier.methodModifiers()));
    }

    static String ofField(int access) {
        return nonEmpty(Modifier.toString(access & Modifier.fieldModifiers()));
    }

    private static String nonEmpty(String s) {
        return s.isEmpty() ? "package-private" : s;
    }
}
