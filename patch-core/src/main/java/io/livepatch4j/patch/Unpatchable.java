package io.livepatch4j.patch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Classes no patch may name, decided from the name alone, so that lp4j, the builder and the agent
 * refuse them before anything changes: classes of the JDK (the {@code java.*} packages and every
 * package of a module of the JDK's boot layer, {@code javax.crypto} and {@code sun.misc} as much as
 * {@code java.lang}) and of livepatch4j itself. The agent also refuses any class its loader shows
 * to be the JDK's (the boot or platform loader), whatever its name.
 */
public final class Unpatchable {

    private static final List<String> OWN = List.of("io/livepatch4j/agent/", "io/livepatch4j/patch/",
        "io/livepatch4j/shaded/", "io/livepatch4j/quiescence/", "io/livepatch4j/control/");
    /** Package (internal form) to the JDK module that holds it. Read once; the boot layer never changes. */
    private static final Map<String, String> JDK_PACKAGES = jdkPackages();

    private Unpatchable() {}

    /** Why the class {@code internalName} ({@code java/util/List}) may not be patched, or null if it may. */
    public static String why(String internalName) {
        if (internalName.startsWith("java/")) {
            return "it is a class of the JDK (package java.*)";
        }
        int slash = internalName.lastIndexOf('/');
        String module = slash < 0 ? null : JDK_PACKAGES.get(internalName.substring(0, slash));
        if (module != null) {
            return "it is a class of the JDK (module " + module + ")";
        }
        for (String own : OWN) {
            if (internalName.startsWith(own)) {
                return "it is a class of livepatch4j itself";
            }
        }
        return null;
    }

    /** One line per class of {@code patch}, changed or added, that it may not name. */
    public static List<String> problems(Patch patch) {
        List<String> problems = new java.util.ArrayList<>();
        for (ClassPatch c : patch.classes()) {
            String why = why(c.name().replace('.', '/'));
            if (why != null) {
                problems.add(c.name() + ": this class cannot be patched: " + why + "; patch the application code that "
                    + "uses it instead");
            }
        }
        for (NewClass c : patch.newClasses()) {
            String why = why(c.name().replace('.', '/'));
            if (why != null) {
                problems.add(c.name() + ": a patch cannot add this class: " + why);
            }
        }
        return problems;
    }

    private static Map<String, String> jdkPackages() {
        Map<String, String> packages = new HashMap<>();
        for (Module m : ModuleLayer.boot().modules()) {
            String name = m.getName();
            if (name.startsWith("java.") || name.startsWith("jdk.")) {
                for (String p : m.getPackages()) {
                    packages.put(p.replace('.', '/'), name);
                }
            }
        }
        return Map.copyOf(packages);
    }
}
