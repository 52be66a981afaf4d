package io.livepatch4j.patch.build;

import io.livepatch4j.patch.NotCarried;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The files of two builds that are not classes (properties, templates, service registrations, the
 * jar manifest). A patch carries code only: the running JVM's class loaders keep reading the files
 * of the build they were started with, so every difference is reported as not carried.
 */
final class Resources {

    /** The launcher's class path index and layers: what they list is compared as libraries. */
    private static final List<String> INDEXES = List.of("BOOT-INF/classpath.idx", "BOOT-INF/layers.idx",
        "WEB-INF/classpath.idx", "WEB-INF/layers.idx");

    private Resources() {}

    /**
     * The resources of two deployed builds: as {@link #compare}, except that the launcher's index
     * files are left to the library comparison, and an upgraded library's version metadata (its
     * manifest and Maven descriptors, which every upgrade changes) is one entry, not three.
     */
    static List<NotCarried> compareDeployed(Builds.Build before, Builds.Build after, Predicate<String> selected) {
        Map<String, byte[]> a = new java.util.TreeMap<>(before.resources());
        Map<String, byte[]> b = new java.util.TreeMap<>(after.resources());
        List<NotCarried> found = new ArrayList<>();
        if (!before.libraries().isEmpty() || !after.libraries().isEmpty()) {
            INDEXES.forEach(i -> {
                a.remove(i);
                b.remove(i);
            });
        }
        for (Builds.LibraryPair p : Builds.pair(before, after)) {
            if (!p.status().equals("upgraded")) {
                continue;
            }
            String prefix = "[" + p.identity() + "]!/";
            boolean differs = false;
            TreeSet<String> keys = new TreeSet<>(a.keySet());
            keys.addAll(b.keySet());
            for (String k : keys) {
                if (k.equals(prefix + "META-INF/MANIFEST.MF") || k.startsWith(prefix + "META-INF/maven/")) {
                    differs |= !Arrays.equals(a.remove(k), b.remove(k));
                }
            }
            if (differs) {
                found.add(new NotCarried(p.identity(), null, "the library's version metadata (META-INF/MANIFEST.MF, "
                        + "META-INF/maven/) changed with its upgrade from " + p.before().version() + " to "
                        + p.after().version() + "; Package.getImplementationVersion() and code that reads pom.properties "
                        + "keep answering " + p.before().version(),
                    "nothing, unless something reads the library's version at run time; then restart on the new build"));
            }
        }
        found.addAll(compare(a, b, selected));
        return found;
    }

    static List<NotCarried> compare(Map<String, byte[]> before, Map<String, byte[]> after, Predicate<String> selected) {
        List<NotCarried> found = new ArrayList<>();
        TreeSet<String> paths = new TreeSet<>(before.keySet());
        paths.addAll(after.keySet());
        for (String path : paths) {
            if (!selected.test(path)) {
                continue;
            }
            byte[] a = before.get(path);
            byte[] b = after.get(path);
            String advice = path.startsWith("META-INF/services/")
                ? "service registrations are read once by ServiceLoader; restart on the new build to change them"
                : path.endsWith("package-info.class") ? "the package's annotations (Package.getAnnotations()) stay as "
                    + "loaded; restart on the new build if anything reads them"
                : path.endsWith("module-info.class") ? "the module descriptor stays as loaded; restart on the new build"
                : path.startsWith("META-INF/versions/") && path.endsWith(".class") ? "a patch carries the base "
                    + "version of a multi-release jar's classes only; build the patch from a jar (or folder) of the "
                    + "version this JVM runs, or restart on the new build"
                : "read the value in code the patch carries (a constant or a new class), or restart on the new build";
            if (a == null) {
                found.add(new NotCarried(path, null, "the resource was added; the running JVM's class loader does "
                    + "not find it (getResource returns null)", advice));
            } else if (b == null) {
                found.add(new NotCarried(path, null, "the resource was removed; the running JVM's class loader "
                    + "still finds the old one", advice));
            } else if (!Arrays.equals(a, b)) {
                found.add(new NotCarried(path, null, "the resource changed; the running JVM's class loader keeps "
                    + "reading the old content", advice));
            }
        }
        return found;
    }
}
