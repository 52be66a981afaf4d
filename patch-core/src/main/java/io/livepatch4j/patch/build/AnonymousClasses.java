package io.livepatch4j.patch.build;

import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.MethodBodies;
import io.livepatch4j.patch.diff.Refusal;
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
 * Finds anonymous classes that javac renumbered. javac names them {@code Outer$1}, {@code Outer$2}
 * in order of appearance, so an anonymous class inserted above others shifts their names, and the
 * new build's {@code Outer$1} may be another class than the running {@code Outer$1}. Objects of the
 * running class made before the patch would then run the other class's code: a patch cannot carry
 * that, so it is refused, naming the classes.
 *
 * <p>An anonymous class is identified by its creation site, as a lambda is: the enclosing method
 * (its EnclosingMethod attribute), its superclass and interfaces, and its position among the
 * anonymous classes of that kind in that method. Where a site of the new build matches a site of the
 * old build under another name (or a name of the old build now denotes a new site), the classes were
 * renumbered.
 */
final class AnonymousClasses {

    private static final Pattern ANONYMOUS = Pattern.compile("(.+)\\$(\\d+)");

    private AnonymousClasses() {}

    private record Site(String name, String kind, String code) {
    }

    static List<Refusal> renumbered(Map<String, byte[]> oldBuild, Map<String, byte[]> newBuild) {
        Map<String, List<Site>> before = sites(oldBuild);
        Map<String, List<Site>> after = sites(newBuild);
        List<Refusal> refusals = new ArrayList<>();
        for (Map.Entry<String, List<Site>> e : after.entrySet()) {
            List<Site> olds = new ArrayList<>(before.getOrDefault(e.getKey(), List.of()));
            List<String> moved = new ArrayList<>();
            for (Site n : e.getValue()) {
                Site partner = partner(n, olds);
                if (partner != null) {
                    olds.remove(partner);
                    if (!partner.name.equals(n.name)) {
                        moved.add("the new build's " + n.name + " is the old build's " + partner.name);
                    }
                } else if (oldBuild.containsKey(n.name)) {
                    moved.add("the new build's " + n.name + " is a new anonymous class, and " + n.name
                        + " was another one in the old build");
                }
            }
            if (!moved.isEmpty()) {
                refusals.add(new Refusal(e.getKey(), null, "its anonymous classes were renumbered (" + String.join("; ", moved)
                        + "): javac numbers anonymous classes in order of appearance, and objects made before the patch "
                        + "would run another class's code",
                    "add the new anonymous class after the existing ones in the source file, or make it a named "
                        + "(nested or local) class or a lambda"));
            }
        }
        return refusals;
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
                .put(Integer.parseInt(m.group(2)), new Site(e.getKey(), kind, code(c)));
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
