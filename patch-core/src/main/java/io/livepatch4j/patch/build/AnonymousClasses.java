package io.livepatch4j.patch.build;

import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.MethodBodies;
import io.livepatch4j.patch.NotCarried;
import io.livepatch4j.patch.rewrite.ClassRenames;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives the new build's anonymous classes the names their partners have in the old build. javac
 * names anonymous classes {@code Outer$1}, {@code Outer$2} in order of appearance, so one inserted
 * above others shifts their names, and the new build's {@code Outer$1} may be another class than the
 * running {@code Outer$1}: objects of the running class made before the patch would run the other
 * class's code. As with lambdas, an anonymous class is identified by its creation site: the enclosing
 * method (its EnclosingMethod attribute), its superclass and interfaces, and its place among the
 * anonymous classes of that kind there. A new class pairs with the old one of its site (the same
 * code first, then the same place among its kind) and takes its name; one with no partner (a new
 * site, or a site whose class now captures other variables, which the running objects do not hold)
 * takes a fresh name, {@code Outer$lp4j$<hash>}, that javac never makes, and is added by the patch.
 * The renames apply to every class of the new build before anything compares it, so the patch
 * carries the classes under the names the JVM runs them by.
 *
 * <p>A limit: the patch's classes are then not javac's bytes, so a later patch built from javac's
 * output of this new build is refused (its base hashes name javac's bytes, not the renamed ones the
 * JVM runs). To go further, roll this patch back and apply one built from the original build.
 */
final class AnonymousClasses {

    private static final Pattern ANONYMOUS = Pattern.compile("(.+)\\$(\\d+)");

    private AnonymousClasses() {}

    private record Site(String name, String kind, String code, String captures) {
    }

    /** The renames (new build's binary name to the name the patch gives it) and what they leave out. */
    record Pairing(Map<String, String> renames, List<NotCarried> notCarried) {
    }

    static Pairing pair(Map<String, byte[]> oldBuild, Map<String, byte[]> newBuild) {
        Map<String, List<Site>> before = sites(oldBuild);
        Map<String, List<Site>> after = sites(newBuild);
        Map<String, String> renames = new TreeMap<>();
        List<NotCarried> notCarried = new ArrayList<>();
        for (Map.Entry<String, List<Site>> e : after.entrySet()) {
            List<Site> olds = new ArrayList<>(before.getOrDefault(e.getKey(), List.of()));
            Map<String, Site> paired = new LinkedHashMap<>();
            for (Site n : e.getValue()) {
                Site partner = partner(n, olds);
                if (partner != null) {
                    olds.remove(partner);
                    paired.put(n.name, partner);
                }
            }
            java.util.Set<String> oldNames = new java.util.HashSet<>();
            paired.values().forEach(o -> oldNames.add(o.name));
            for (Site n : e.getValue()) {
                Site partner = paired.get(n.name);
                if (partner != null && !partner.captures.equals(n.captures)) {
                    notCarried.add(new NotCarried(e.getKey(), null, "the anonymous class " + partner.name + " now "
                            + "captures other variables (" + partner.captures + " before, " + n.captures + " now): "
                            + "objects made before the patch keep running the old class's code, new ones are of a "
                            + "new class", "if objects made before the patch outlive the transition (listeners, "
                            + "cached callbacks), keep the captured variables as they were in the fix, or restart"));
                    partner = null;
                }
                if (partner != null) {
                    if (!partner.name.equals(n.name)) {
                        renames.put(n.name, partner.name);
                    }
                } else if (oldBuild.containsKey(n.name) || oldNames.contains(n.name)) {
                    renames.put(n.name, e.getKey() + "$lp4j$" + io.livepatch4j.patch.Sha256.hex(
                        (n.kind + n.code).getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 12));
                }
            }
        }
        return new Pairing(renames, notCarried);
    }

    /** Every class of {@code build} under its name after {@code renames}, its references renamed too. */
    static Map<String, byte[]> apply(Map<String, byte[]> build, Map<String, String> renames) {
        if (renames.isEmpty()) {
            return build;
        }
        Map<String, byte[]> out = new TreeMap<>();
        build.forEach((name, bytes) -> out.put(renames.getOrDefault(name, name), ClassRenames.apply(bytes, renames)));
        return out;
    }

    /**
     * The old site of the same kind with the same code, else the first one left of its kind (sites are
     * taken in javac's order, so that is the one at the same position among its kind).
     */
    private static Site partner(Site n, List<Site> olds) {
        for (Site o : olds) {
            if (o.kind.equals(n.kind) && o.code.equals(n.code)) {
                return o;
            }
        }
        for (Site o : olds) {
            if (o.kind.equals(n.kind)) {
                return o;
            }
        }
        return null;
    }

    /** Outer class name to its anonymous classes, in javac's numbering order. */
    private static Map<String, List<Site>> sites(Map<String, byte[]> build) {
        Map<String, Map<Integer, Site>> byOuter = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : build.entrySet()) {
            Matcher m = ANONYMOUS.matcher(e.getKey());
            if (!m.matches()) {
                continue;
            }
            ClassNode c = ClassDiff.read(e.getValue());
            if (!isAnonymous(c) || SwitchMaps.isSwitchMap(c)) {
                continue;
            }
            String enclosing = c.outerMethod == null ? "(initializer)"
                : c.outerMethod.startsWith("lambda$") ? "lambda$" + c.outerMethodDesc : c.outerMethod + c.outerMethodDesc;
            String kind = enclosing + " " + c.superName + " " + c.interfaces;
            byOuter.computeIfAbsent(m.group(1), k -> new TreeMap<>())
                .put(Integer.parseInt(m.group(2)), new Site(e.getKey(), kind, code(c), captures(c)));
        }
        Map<String, List<Site>> out = new LinkedHashMap<>();
        byOuter.forEach((outer, sites) -> out.put(outer, new ArrayList<>(sites.values())));
        return out;
    }

    static boolean isAnonymous(ClassNode c) {
        for (InnerClassNode ic : c.innerClasses) {
            if (ic.name.equals(c.name)) {
                return ic.innerName == null;
            }
        }
        return false;
    }

    /** The constructor descriptors and instance fields: what an object of the class holds. */
    private static String captures(ClassNode c) {
        List<String> parts = new ArrayList<>();
        for (MethodNode m : c.methods) {
            if ("<init>".equals(m.name)) {
                parts.add(m.desc.replace(c.name, "(this)"));
            }
        }
        for (FieldNode f : c.fields) {
            if ((f.access & org.objectweb.asm.Opcodes.ACC_STATIC) == 0) {
                parts.add(f.name + ":" + f.desc);
            }
        }
        return String.join(" ", parts);
    }

    /** The class's code, its own name and its outer class's anonymous class names blanked. */
    private static String code(ClassNode c) {
        StringBuilder b = new StringBuilder();
        for (FieldNode f : c.fields) {
            b.append(f.name).append(':').append(f.desc).append('\n');
        }
        for (MethodNode m : c.methods) {
            b.append(m.name).append(m.desc).append('\n').append(MethodBodies.fingerprint(m));
        }
        return b.toString().replace(c.name, "(this)").replaceAll("\\$\\d+", "\\$N");
    }
}
