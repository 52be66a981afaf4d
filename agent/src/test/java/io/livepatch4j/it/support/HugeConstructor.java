package io.livepatch4j.it.support;

import java.util.HashMap;
import java.util.Map;

/**
 * A class {@code Thing} whose constructor {@code Thing(int s)} calls {@code this(new int[] {s, s, ...})}
 * with an array initializer of about 34 KB of code: one copy fits in a method, two exceed the JVM's
 * 64 KB. A patch that changes the first element ({@code s + 1}) changes the constructor's this(...)
 * call, whose variant cannot be written beside the constructor's own code. {@code get()} says the
 * first element and the version: "5 v1" as built, "6 v2" with the new call.
 */
public final class HugeConstructor {

    private static final int ELEMENTS = 5600; // each 6 bytes of code

    private HugeConstructor() {}

    /**
     * The sources of {@code pkg.Thing} (and {@code pkg.Anchor}, a class to load the build by),
     * version 2 if {@code v2}; {@code newCall}: version 2 changes the this(...) call too, not only get().
     */
    public static Map<String, String> sources(String pkg, boolean v2, boolean newCall) {
        StringBuilder array = new StringBuilder("new int[] {" + (v2 && newCall ? "s + 1" : "s"));
        for (int i = 1; i < ELEMENTS; i++) {
            array.append(", s");
        }
        array.append('}');
        String version = v2 ? "v2" : "v1";
        Map<String, String> src = new HashMap<>();
        src.put(pkg + ".Thing", "package " + pkg + ";\npublic class Thing implements java.util.function.Supplier<String> {"
            + " final int[] a;"
            + " public Thing() { this(5); }"
            + " public Thing(int s) { this(" + array + "); }"
            + " private Thing(int[] a) { this.a = a; }"
            + " public String get() { return a[0] + \" " + version + "\"; } }");
        src.put(pkg + ".Anchor", "package " + pkg + ";\npublic class Anchor { public static String tag() { return \""
            + version + "\"; } }");
        return src;
    }
}
