package io.livepatch4j.it.review28;

import io.livepatch4j.it.support.GenBuild;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** A patch's classes for one loader: Loaded (used before the patch), fillers, and Sub extends Super, none loaded. */
final class R28Pair {

    private R28Pair() {}

    static GenBuild build(String pkg, int v) {
        Map<String, String> s = new HashMap<>();
        s.put(pkg + ".Loaded", supplier(pkg, "Loaded", "", v));
        for (int i = 0; i < 6; i++) {
            s.put(pkg + ".Filler" + i, supplier(pkg, "Filler" + i, "", v));
        }
        s.put(pkg + ".Super", supplier(pkg, "Super", "", v));
        s.put(pkg + ".Sub", supplier(pkg, "Sub", " extends Super", v));
        return GenBuild.compile(s);
    }

    private static String supplier(String pkg, String name, String ext, int v) {
        return "package " + pkg + ";\npublic class " + name + ext + " implements java.util.function.Supplier<String> {"
            + " static { System.setProperty(\"" + pkg + "." + name + ".initialized\", \"yes\"); }"
            + " public String get() { return \"" + name + " v" + v + "\"; } }";
    }

    @SuppressWarnings("unchecked")
    static String call(ClassLoader l, String name) throws Exception {
        return ((Supplier<String>) Class.forName(name, true, l).getConstructor().newInstance()).get();
    }
}
