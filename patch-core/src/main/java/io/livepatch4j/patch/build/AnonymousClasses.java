package io.livepatch4j.patch.build;

import io.livepatch4j.patch.NotCarried;
import io.livepatch4j.patch.Sha256;
import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.LambdaPairing;
import io.livepatch4j.patch.diff.MethodBodies;
import io.livepatch4j.patch.rewrite.ClassRenames;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives the new build's anonymous and local classes the names their partners have in the old
 * build. javac names them {@code Outer$1}, {@code Outer$2}, {@code Outer$1Local} in order of
 * appearance, so one inserted above others shifts their names, and the new build's {@code Outer$1}
 * may be another class than the running {@code Outer$1}: objects of the running class made before
 * the patch would run the other class's code.
 *
 * <p>As with lambdas, such a class is identified by its creation site: the method of the enclosing
 * class whose {@code new} makes it, its superclass, interfaces and (for a local class) name, and its
 * place among the classes of that kind created there. Where that method's code is the same in both
 * builds (class numbers aside), the sites pair by place, whatever the classes' bodies (a fix that
 * swaps two anonymous classes' bodies changes what each site creates). Where it changed, classes
 * with the same code pair first, then the rest by the closest code, then by place; where two or
 * more are left on both sides for that last step, the pairing is a guess, and is reported. A class with no partner (a new site, or a site
 * whose class now captures other variables, which running objects do not hold) takes a fresh name,
 * {@code Outer$lp4j$<hash>}, that javac never makes, and is added by the patch. Classes nested in a
 * renamed class move with it, and are paired in turn against the partner's own. The renames apply
 * to every class of the new build before anything compares it, so the patch carries the classes
 * under the names the JVM runs them by.
 *
 * <p>Limits, reported with each patch that renames: {@code getClass().getName()} shows the running
 * names, and a later patch built from javac's output of the new build is refused (its base hashes
 * name javac's bytes, not the renamed ones the JVM runs): roll this patch back and apply one built
 * from the original build instead.
 */
final class AnonymousClasses {

    /** {@code Creator$<n>} (anonymous) or {@code Creator$<n>Name} (local). */
    private static final Pattern NUMBERED = Pattern.compile("(.+)\\$(\\d+)([^$]*)");
    private static final int MAX_DEPTH = 8;

    private AnonymousClasses() {}

    /** One anonymous or local class and where it is made. */
    private record Site(String name, String creator, String method, String kind, String code, String captures) {
    }

    /**
     * Every class of the new build whose name changes (binary names, javac's to the patch's), and
     * what the pairing leaves out.
     */
    record Pairing(Map<String, String> renames, List<NotCarried> notCarried) {
    }

    static Pairing pair(Map<String, byte[]> oldBuild, Map<String, byte[]> newBuild) {
        Map<String, NotCarried> notes = new LinkedHashMap<>();
        Map<String, String> origin = new HashMap<>(); // current name -> javac's name
        for (String n : newBuild.keySet()) {
            origin.put(n, n);
        }
        Map<String, byte[]> current = newBuild;
        Map<String, Site> oldSites = sites(oldBuild);
        Set<String> freshNames = new HashSet<>();
        // Partners first, level by level (a class's kind names its superclass, which a level may rename;
        // nested classes are paired once their outer class has its final name); fresh names last, once
        // nothing pairs any more, for the classes whose javac name the old build used for another.
        boolean fresh = false;
        for (int depth = 0; depth < MAX_DEPTH * 2; depth++) {
            Round r = round(oldBuild, oldSites, current, sites(current), notes);
            Map<String, String> renames = fresh ? r.fresh(freshNames) : r.partners(current.keySet(), freshNames);
            if (renames.isEmpty()) {
                if (fresh) {
                    break;
                }
                fresh = true;
                continue;
            }
            Map<String, String> full = withNested(renames, current.keySet());
            Map<String, String> nextOrigin = new HashMap<>();
            for (Map.Entry<String, String> e : origin.entrySet()) {
                nextOrigin.put(full.getOrDefault(e.getKey(), e.getKey()), e.getValue());
            }
            origin = nextOrigin;
            current = apply(current, full);
            if (fresh) {
                fresh = false; // the fresh names may let nested classes pair: pair again
            }
        }
        Map<String, String> renames = new TreeMap<>();
        for (Map.Entry<String, String> e : origin.entrySet()) {
            if (!e.getKey().equals(e.getValue())) {
                renames.put(e.getValue(), e.getKey());
            }
        }
        if (!renames.isEmpty()) {
            Map<String, List<String>> byOuter = new TreeMap<>();
            renames.forEach((from, to) -> byOuter.computeIfAbsent(outermost(from), k -> new ArrayList<>())
                .add(from + " runs as " + to));
            byOuter.forEach((outer, list) -> notes.put(outer + " names", new NotCarried(outer, null,
                "javac numbered its anonymous or local classes otherwise in the new build; the patch pairs them by "
                    + "creation site and keeps the running names (" + String.join(", ", list) + "), so "
                    + "getClass().getName() of their objects, and anything that records it, differs from the new build",
                "nothing, unless class names of anonymous classes are read at run time; a later patch must be built "
                    + "from the original build (roll this one back first)")));
        }
        return new Pairing(renames, new ArrayList<>(notes.values()));
    }

    /** Every class of {@code build} under its name after {@code renames} (full names), references renamed too. */
    static Map<String, byte[]> apply(Map<String, byte[]> build, Map<String, String> renames) {
        if (renames.isEmpty()) {
            return build;
        }
        Map<String, byte[]> out = new TreeMap<>();
        build.forEach((name, bytes) -> out.put(renames.getOrDefault(name, name), ClassRenames.apply(bytes, renames)));
        return out;
    }

    /** The renames of one level, and every class nested in a renamed one moved with it. */
    private static Map<String, String> withNested(Map<String, String> round, Set<String> names) {
        Map<String, String> full = new HashMap<>(round);
        for (String name : names) {
            for (Map.Entry<String, String> r : round.entrySet()) {
                if (name.startsWith(r.getKey() + "$")) {
                    full.put(name, r.getValue() + name.substring(r.getKey().length()));
                }
            }
        }
        return full;
    }

    /**
     * One level of pairing: each new class's partner in the old build, and the new classes with none
     * whose javac name the old build used for another class.
     */
    private record Round(Map<String, String> partnerOf, Map<String, Site> unpairedTaken) {

        /**
         * The renames to partners' names. A class that holds a target name and is not renamed itself
         * (a class with no partner, a switch map) moves out of the way, to a fresh name.
         */
        Map<String, String> partners(Set<String> current, Set<String> freshNames) {
            Map<String, String> renames = new TreeMap<>();
            partnerOf.forEach((n, o) -> {
                if (!n.equals(o)) {
                    renames.put(n, o);
                }
            });
            for (String target : new ArrayList<>(renames.values())) {
                if (current.contains(target) && !renames.containsKey(target)) {
                    Matcher m = NUMBERED.matcher(target);
                    renames.put(target, freshName(m.matches() ? m.group(1) : target, target, freshNames));
                }
            }
            return renames;
        }

        /** Fresh names for the classes with no partner whose name the old build used for another. */
        Map<String, String> fresh(Set<String> freshNames) {
            Map<String, String> renames = new TreeMap<>();
            unpairedTaken.forEach((n, site) -> renames.put(n, freshName(site.creator, n, freshNames)));
            return renames;
        }
    }

    /** {@code Creator$lp4j$<hash>} (+ a local class's name), never one already given. */
    private static String freshName(String creator, String javacName, Set<String> taken) {
        String base = creator + "$lp4j$" + Sha256.hex(javacName.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        String name = base + localName(javacName);
        for (int i = 2; !taken.add(name); i++) {
            name = base + "x" + i + localName(javacName);
        }
        return name;
    }

    private static Round round(Map<String, byte[]> oldBuild, Map<String, Site> oldSites,
                               Map<String, byte[]> current, Map<String, Site> newSites,
                               Map<String, NotCarried> notes) {
        Map<String, List<Site>> oldGroups = groups(oldSites);
        Map<String, List<Site>> newGroups = groups(newSites);
        Map<String, String> partnerOf = new LinkedHashMap<>();
        Set<String> unpaired = new java.util.LinkedHashSet<>();
        for (Map.Entry<String, List<Site>> g : newGroups.entrySet()) {
            List<Site> news = g.getValue();
            List<Site> olds = new ArrayList<>(oldGroups.getOrDefault(g.getKey(), List.of()));
            Site first = news.get(0);
            boolean sameMethod = !olds.isEmpty() && olds.size() == news.size()
                && methodCode(oldBuild, first.creator, first.method).equals(methodCode(current, first.creator, first.method));
            Map<Site, Site> pairs = new LinkedHashMap<>();
            if (sameMethod) {
                for (int i = 0; i < news.size(); i++) {
                    pairs.put(news.get(i), olds.get(i));
                }
            } else {
                for (Site n : news) {
                    for (Site o : olds) {
                        if (o.code.equals(n.code) && !pairs.containsValue(o)) {
                            pairs.put(n, o);
                            break;
                        }
                    }
                }
                if (!olds.isEmpty() && crossing(news, olds, pairs)) {
                    notes.put(first.creator + " " + g.getKey() + " crossing", new NotCarried(first.creator, first.method,
                        "anonymous or local classes of one kind moved in a method whose code changed around them; the "
                            + "patch pairs them by their code (" + names(new ArrayList<>(pairs.keySet())) + " with "
                            + names(new ArrayList<>(pairs.values())) + "), so objects made before the patch keep their "
                            + "code, which may not be the code the new build makes at the places that made them",
                        "if such objects outlive the transition (listeners, cached callbacks), keep the classes in "
                            + "place in the fix, or restart"));
                }
                List<Site> restNew = new ArrayList<>(news);
                restNew.removeAll(pairs.keySet());
                List<Site> restOld = new ArrayList<>(olds);
                restOld.removeAll(pairs.values());
                if (restNew.size() >= 2 && restOld.size() >= 2) {
                    notes.put(first.creator + " " + g.getKey(), new NotCarried(first.creator, first.method,
                        "anonymous or local classes of one kind were added, removed or changed in a method whose code "
                            + "changed around them; objects made before the patch by " + names(restOld) + " run, in order, "
                            + "the code of " + names(restNew) + ", which may not be the classes the new build makes "
                            + "at the places that made them",
                        "if such objects outlive the transition (listeners, cached callbacks), keep the classes in "
                            + "place in the fix, or restart"));
                }
                closestCode(restNew, restOld, pairs);
            }
            for (Site n : news) {
                Site o = pairs.get(n);
                if (o != null && !o.captures.equals(n.captures)) {
                    notes.put(o.name + " captures", new NotCarried(first.creator, null, "the anonymous or local class "
                            + o.name + " now captures other variables (" + o.captures + " before, " + n.captures
                            + " now): objects made before the patch keep running the old class's code, new ones are "
                            + "of a new class",
                        "if objects made before the patch outlive the transition (listeners, cached callbacks), keep "
                            + "the captured variables as they were in the fix, or restart"));
                    o = null;
                }
                if (o == null) {
                    unpaired.add(n.name);
                } else {
                    partnerOf.put(n.name, o.name);
                }
            }
        }
        Map<String, Site> unpairedTaken = new TreeMap<>();
        Set<String> taken = new HashSet<>(partnerOf.values());
        for (String n : unpaired) {
            if (oldBuild.containsKey(n) || taken.contains(n)) {
                unpairedTaken.put(n, newSites.get(n));
            }
        }
        return new Round(partnerOf, unpairedTaken);
    }

    /**
     * The rest pair by the closest code (the edit distance of their instructions, as lambdas do), then
     * by place: a class removed beside one that changed leaves the changed one its partner.
     */
    private static void closestCode(List<Site> news, List<Site> olds, Map<Site, Site> pairs) {
        record Candidate(int n, int o, int distance) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < news.size(); i++) {
            for (int j = 0; j < olds.size(); j++) {
                candidates.add(new Candidate(i, j, LambdaPairing.distance(news.get(i).code, olds.get(j).code)));
            }
        }
        candidates.sort(java.util.Comparator.comparingInt(Candidate::distance)
            .thenComparingInt(c -> Math.abs(c.n - c.o)).thenComparingInt(Candidate::n));
        Set<Integer> usedNew = new HashSet<>();
        Set<Integer> usedOld = new HashSet<>();
        for (Candidate c : candidates) {
            if (usedNew.add(c.n)) {
                if (usedOld.add(c.o)) {
                    pairs.put(news.get(c.n), olds.get(c.o));
                } else {
                    usedNew.remove(c.n);
                }
            }
        }
    }

    /** Whether pairing by code crosses the places: a new class takes the partner of another place. */
    private static boolean crossing(List<Site> news, List<Site> olds, Map<Site, Site> pairs) {
        for (Map.Entry<Site, Site> e : pairs.entrySet()) {
            if (news.indexOf(e.getKey()) != olds.indexOf(e.getValue())) {
                return true;
            }
        }
        return false;
    }

    private static String names(List<Site> sites) {
        List<String> out = new ArrayList<>();
        sites.forEach(s -> out.add(s.name));
        return String.join(", ", out);
    }

    private static String localName(String name) {
        Matcher m = NUMBERED.matcher(name);
        return m.matches() ? m.group(3) : "";
    }

    private static String outermost(String name) {
        int dot = name.lastIndexOf('.');
        int dollar = name.indexOf('$', dot + 1);
        return dollar < 0 ? name : name.substring(0, dollar);
    }

    /** Sites grouped by creator, method and kind, each group in javac's order of creation. */
    private static Map<String, List<Site>> groups(Map<String, Site> sites) {
        Map<String, List<Site>> groups = new LinkedHashMap<>();
        sites.values().forEach(s -> groups.computeIfAbsent(s.creator + " " + s.method + " " + s.kind,
            k -> new ArrayList<>()).add(s));
        return groups;
    }

    /** The method's code with class numbers and lambda names blanked, or "" if the build lacks it. */
    private static String methodCode(Map<String, byte[]> build, String creator, String method) {
        byte[] bytes = build.get(creator);
        if (bytes == null) {
            return "";
        }
        for (MethodNode m : ClassDiff.read(bytes).methods) {
            if (methodKey(m).equals(method)) {
                return normalized(MethodBodies.fingerprint(m));
            }
        }
        return "";
    }

    private static String methodKey(MethodNode m) {
        return methodKey(m.name, m.desc);
    }

    /**
     * A lambda body's number is javac's too: {@code lambda$run$3} is keyed {@code lambda$run$} and its
     * descriptor, the lambdas of one method and descriptor being one kind of enclosing method.
     */
    private static String methodKey(String name, String desc) {
        if (name.startsWith("lambda$")) {
            int last = name.lastIndexOf('$');
            return name.substring(0, last + 1) + desc;
        }
        return name + desc;
    }

    private static String normalized(String code) {
        return code.replaceAll("lambda\\$[A-Za-z0-9_$]*", "lambda\\$").replaceAll("\\$\\d+", "\\$N");
    }

    /** Every anonymous or local class of the build, by name, with its creation site. */
    private static Map<String, Site> sites(Map<String, byte[]> build) {
        Map<String, ClassNode> numbered = new TreeMap<>(java.util.Comparator.comparing((String n) -> {
            Matcher m = NUMBERED.matcher(n);
            return m.matches() ? m.group(1) : n;
        }).thenComparingLong(n -> {
            Matcher m = NUMBERED.matcher(n);
            return m.matches() && m.group(2).length() < 18 ? Long.parseLong(m.group(2)) : 0L;
        }).thenComparing(n -> n));
        for (Map.Entry<String, byte[]> e : build.entrySet()) {
            if (NUMBERED.matcher(e.getKey()).matches()) {
                ClassNode c = ClassDiff.read(e.getValue());
                if (isAnonymousOrLocal(c) && !SwitchMaps.isSwitchMap(c)) {
                    numbered.put(e.getKey(), c);
                }
            }
        }
        Map<String, Site> sites = new LinkedHashMap<>();
        Map<String, ClassNode> creators = new HashMap<>();
        for (Map.Entry<String, ClassNode> e : numbered.entrySet()) {
            Matcher m = NUMBERED.matcher(e.getKey());
            m.matches();
            String creator = m.group(1);
            byte[] creatorBytes = build.get(creator);
            if (creatorBytes == null) {
                continue;
            }
            ClassNode cc = creators.computeIfAbsent(creator, k -> ClassDiff.read(creatorBytes));
            ClassNode c = e.getValue();
            String method = creationMethod(cc, c.name);
            if (method == null && c.outerMethod != null) {
                method = methodKey(c.outerMethod, c.outerMethodDesc); // a local enum or interface: declared there
            }
            if (method == null) {
                continue; // never made by its enclosing class: leave its name alone
            }
            String kind = c.superName + " " + c.interfaces + " " + m.group(3);
            sites.put(e.getKey(), new Site(e.getKey(), creator, method, kind, code(c), captures(c)));
        }
        return sites;
    }

    /** The first method of {@code creator} that makes a {@code type}, as a method key. */
    private static String creationMethod(ClassNode creator, String type) {
        for (MethodNode m : creator.methods) {
            for (AbstractInsnNode insn : m.instructions) {
                if (insn.getOpcode() == Opcodes.NEW && ((TypeInsnNode) insn).desc.equals(type)) {
                    return methodKey(m);
                }
            }
        }
        return null;
    }

    static boolean isAnonymousOrLocal(ClassNode c) {
        for (InnerClassNode ic : c.innerClasses) {
            if (ic.name.equals(c.name)) {
                return ic.outerName == null;
            }
        }
        return false;
    }

    /** The constructor descriptors and instance fields: what an object of the class holds. */
    private static String captures(ClassNode c) {
        List<String> parts = new ArrayList<>();
        for (MethodNode m : c.methods) {
            if ("<init>".equals(m.name)) {
                parts.add(normalized(m.desc.replace(c.name, "(this)")));
            }
        }
        for (FieldNode f : c.fields) {
            if ((f.access & Opcodes.ACC_STATIC) == 0) {
                parts.add(f.name + ":" + normalized(f.desc));
            }
        }
        return String.join(" ", parts);
    }

    /** The class's code, its own name and class numbers blanked. */
    private static String code(ClassNode c) {
        StringBuilder b = new StringBuilder();
        for (FieldNode f : c.fields) {
            b.append(f.name).append(':').append(f.desc).append('\n');
        }
        for (MethodNode m : c.methods) {
            b.append(m.name).append(m.desc).append('\n').append(MethodBodies.fingerprint(m));
        }
        return normalized(b.toString().replace(c.name, "(this)"));
    }
}
