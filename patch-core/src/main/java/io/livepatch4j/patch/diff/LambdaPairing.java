package io.livepatch4j.patch.diff;

import io.livepatch4j.patch.Sha256;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives the lambda bodies of a new version of a class the names their partners have in the version
 * that runs. javac numbers lambda bodies in source order ({@code lambda$install$0}, ...), so a lambda
 * added before an existing one takes the existing one's name; the JVM links a lambda object to its
 * body by name, so an object made by old code would run another lambda's body after the patch.
 *
 * <p>A lambda body is a synthetic method that a {@code LambdaMetafactory} {@code invokedynamic} of the
 * same class points at. It is identified by its creation site: the enclosing method (for a lambda
 * inside a lambda, the enclosing lambda's site), the functional interface and method (the indy's name
 * and type, which also give the captured types, and the SAM types), and its position among the
 * sites of that kind in the enclosing method. New bodies pair with old ones of the same kind of site:
 * where the enclosing method's code did not change (lambda names aside), by position, whatever the
 * bodies do (a fix that swaps two lambdas' bodies changes what each site creates); where it changed,
 * first those with exactly the same code (a lambda moved with its statement, or the branches of a
 * condition swapped, keeps its body), then the rest by the closest code (so a lambda inserted before
 * an existing one does not take its place when the existing one's code changes too), position
 * deciding between equally close ones. Where the code around the sites would pair them otherwise
 * than their code does, the pairing is a guess, and {@link #uncertainPairings} says so for the build's
 * report. A paired body takes the old name; an unpaired one a fresh name derived from its
 * site, which javac never makes; an old body with no partner stays as a removed method, which objects
 * made by old code keep running.
 *
 * <p>The builder runs this against the old build for its report; the agent runs it again against the
 * bytes the JVM actually runs (which may be an earlier patch, already renamed), before it applies,
 * with every version of the class the JVM has had, so that no name ever denotes two bodies.
 */
public final class LambdaPairing {

    private static final String METAFACTORY = "java/lang/invoke/LambdaMetafactory";

    private LambdaPairing() {}

    /** A lambda body and its creation site. */
    private record Site(MethodNode body, MethodNode enclosing, String local, int ordinal) {
    }

    /**
     * {@code newBytes} with its lambda bodies renamed to pair with {@code runningBytes}; the very
     * same array when no name changes.
     */
    public static byte[] align(byte[] runningBytes, byte[] newBytes) {
        return align(runningBytes, newBytes, List.of());
    }

    /**
     * {@code newBytes} with its lambda bodies renamed to pair with {@code runningBytes}, never taking
     * a name that any of the {@code earlier} versions of the class (as aligned in their time) gave
     * another body: objects made by those versions may still be alive, and a name is how they find
     * their body. A lambda the running version lacks but an earlier one had, with exactly the same
     * code at the same kind of site (a patch applied again after a rollback, a lambda removed and
     * brought back), takes its earlier name, so its earlier objects run it again.
     */
    public static byte[] align(byte[] runningBytes, byte[] newBytes, java.util.Collection<byte[]> earlier) {
        return align(runningBytes, null, newBytes, null, earlier);
    }

    /**
     * The same, given the two classes as {@link ClassDiff#read} read them already ({@code running},
     * {@code next}; null: read here), which it only reads.
     */
    public static byte[] align(byte[] runningBytes, ClassNode running, byte[] newBytes, ClassNode next,
                               java.util.Collection<byte[]> earlier) {
        if (!mentions(newBytes, METAFACTORY_BYTES)) {
            return newBytes; // no lambda of its own to pair, without reading any class file (most classes)
        }
        running = running != null ? running : ClassDiff.read(runningBytes);
        next = next != null ? next : ClassDiff.read(newBytes);
        if (!running.name.equals(next.name)) {
            return newBytes;
        }
        List<ClassNode> history = new ArrayList<>();
        for (byte[] b : earlier) {
            ClassNode e = ClassDiff.read(b);
            if (e.name.equals(next.name)) {
                history.add(e);
            }
        }
        Map<String, String> renames = renames(running, next, history);
        if (renames.isEmpty()) {
            return newBytes;
        }
        String owner = next.name;
        ClassWriter out = new ClassWriter(0);
        ClassRemapper renamer = new ClassRemapper(out, new Remapper(Opcodes.ASM9) {
            @Override
            public String mapMethodName(String methodOwner, String name, String descriptor) {
                String renamed = owner.equals(methodOwner) ? renames.get(name + descriptor) : null;
                return renamed != null ? renamed : name;
            }
        });
        new ClassReader(newBytes).accept(new DeserializeLambdaNames(renamer, byName(renames)), 0);
        return out.toByteArray();
    }

    private static final byte[] METAFACTORY_BYTES = METAFACTORY.getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Whether the bytes hold {@code ascii} anywhere. A lambda site's bootstrap names its owner in a
     * constant of the class file, so a class whose bytes do not hold the metafactory's name has none;
     * the converse may be a false alarm (a string constant), which only costs the full reading.
     */
    private static boolean mentions(byte[] bytes, byte[] ascii) {
        outer:
        for (int i = 0, last = bytes.length - ascii.length; i <= last; i++) {
            for (int j = 0; j < ascii.length; j++) {
                if (bytes[i + j] != ascii[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The renames by name alone, for names that are unambiguous (one descriptor). */
    private static Map<String, String> byName(Map<String, String> renames) {
        Map<String, String> byName = new HashMap<>();
        Set<String> ambiguous = new HashSet<>();
        renames.forEach((nameDesc, to) -> {
            String name = nameDesc.substring(0, nameDesc.indexOf('('));
            if (byName.put(name, to) != null) {
                ambiguous.add(name);
            }
        });
        ambiguous.forEach(byName::remove);
        return byName;
    }

    /**
     * A class with serializable lambdas has a {@code $deserializeLambda$} that finds the body by
     * comparing the serialized form's method name with string constants: those must follow the rename.
     */
    private static final class DeserializeLambdaNames extends org.objectweb.asm.ClassVisitor {
        private final Map<String, String> byName;

        DeserializeLambdaNames(org.objectweb.asm.ClassVisitor next, Map<String, String> byName) {
            super(Opcodes.ASM9, next);
            this.byName = byName;
        }

        @Override
        public org.objectweb.asm.MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
            org.objectweb.asm.MethodVisitor mv = super.visitMethod(access, name, desc, sig, ex);
            if (!"$deserializeLambda$".equals(name)) {
                return mv;
            }
            return new org.objectweb.asm.MethodVisitor(Opcodes.ASM9, mv) {
                @Override
                public void visitLdcInsn(Object value) {
                    super.visitLdcInsn(value instanceof String s && byName.containsKey(s) ? byName.get(s) : value);
                }
            };
        }
    }

    /** New name by {@code name + descriptor} of each lambda body of {@code next} whose name changes. */
    static Map<String, String> renames(ClassNode running, ClassNode next) {
        return renames(running, next, List.of());
    }

    static Map<String, String> renames(ClassNode running, ClassNode next, List<ClassNode> earlier) {
        return renames(running, next, earlier, null);
    }

    /**
     * The lambdas of {@code newBytes} whose pairing with {@code runningBytes} is a guess (see
     * {@link #uncertain(String, List, List, Map)}), in words; empty when every pairing is certain.
     */
    public static List<String> uncertainPairings(byte[] runningBytes, byte[] newBytes) {
        List<String> found = new ArrayList<>();
        ClassNode running = ClassDiff.read(runningBytes);
        ClassNode next = ClassDiff.read(newBytes);
        if (running.name.equals(next.name)) {
            renames(running, next, List.of(), found);
        }
        return found;
    }

    private static Map<String, String> renames(ClassNode running, ClassNode next, List<ClassNode> earlier,
                                               List<String> uncertain) {
        Map<MethodNode, Site> oldSites = sites(running);
        Map<MethodNode, Site> newSites = sites(next);
        Map<MethodNode, String> oldKeys = new IdentityHashMap<>();
        oldSites.values().forEach(s -> key(s, oldSites, oldKeys));

        Set<String> taken = new HashSet<>();
        running.methods.forEach(m -> taken.add(m.name + m.desc));
        Set<String> runningNames = new HashSet<>(taken);
        // Every name an earlier version used is taken, except by the very body it named coming back.
        Map<String, Set<String>> earlierBodies = new HashMap<>();
        for (ClassNode e : earlier) {
            e.methods.forEach(m -> taken.add(m.name + m.desc));
            Map<MethodNode, Site> es = sites(e);
            Map<MethodNode, String> ek = new IdentityHashMap<>();
            es.values().forEach(site -> key(site, es, ek));
            for (Site site : es.values()) {
                earlierBodies.computeIfAbsent(site.body.name + site.body.desc, k -> new HashSet<>())
                    .add(kind(ek.get(site.body)) + "\n" + code(site.body));
            }
        }
        next.methods.forEach(m -> {
            if (!newSites.containsKey(m)) {
                taken.add(m.name + m.desc);
            }
        });

        // Pair outer lambdas first: an inner lambda's site is named after its enclosing lambda's partner.
        Map<MethodNode, MethodNode> partner = new IdentityHashMap<>();
        Map<MethodNode, String> newKeys = new IdentityHashMap<>();
        Set<MethodNode> pairedOld = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<Site> pending = new ArrayList<>(newSites.values());
        while (!pending.isEmpty()) {
            Map<String, List<Site>> newByKind = new LinkedHashMap<>();
            List<Site> later = new ArrayList<>();
            for (Site s : pending) {
                String enclosing = enclosingKey(s, newSites, newKeys);
                if (enclosing == null) {
                    later.add(s);
                } else {
                    newByKind.computeIfAbsent(enclosing + " -> " + s.local, k -> new ArrayList<>()).add(s);
                }
            }
            if (later.size() == pending.size()) {
                break; // a cycle, which javac never makes: leave those names alone
            }
            Map<String, List<Site>> oldByKind = new HashMap<>();
            oldSites.values().forEach(s -> oldByKind.computeIfAbsent(kind(oldKeys.get(s.body)), k -> new ArrayList<>()).add(s));
            for (Map.Entry<String, List<Site>> group : newByKind.entrySet()) {
                List<Site> olds = new ArrayList<>(oldByKind.getOrDefault(group.getKey(), List.of()));
                olds.removeIf(o -> pairedOld.contains(o.body));
                pairBySite(group.getValue(), olds, partner, pairedOld);
                pairGroup(group.getValue(), olds, partner, pairedOld);
                if (uncertain != null) {
                    uncertain.addAll(LambdaPairing.uncertain(next.name, group.getValue(), olds, partner));
                }
                for (Site s : group.getValue()) {
                    MethodNode old = partner.get(s.body);
                    newKeys.put(s.body, old != null ? oldKeys.get(old) : group.getKey() + "#" + s.ordinal);
                }
            }
            pending = later;
        }

        Map<String, String> renames = new HashMap<>();
        Set<String> assigned = new HashSet<>();
        for (Site s : newSites.values()) {
            MethodNode old = partner.get(s.body);
            if (old != null) {
                assigned.add(old.name + s.body.desc);
                if (!old.name.equals(s.body.name)) {
                    renames.put(s.body.name + s.body.desc, old.name);
                }
            }
        }
        for (Site s : newSites.values()) {
            if (partner.containsKey(s.body) || !newKeys.containsKey(s.body)) {
                continue;
            }
            String back = earlierName(s, kind(newKeys.get(s.body)), earlierBodies, runningNames, assigned);
            String fresh = back != null ? back : freshName(s.body.name, newKeys.get(s.body), s.body.desc, taken, assigned);
            assigned.add(fresh + s.body.desc);
            renames.put(s.body.name + s.body.desc, fresh);
        }
        return renames;
    }

    /**
     * Where the enclosing method's code is the same in both versions (lambda names aside), each site
     * is where it was, and only what it creates changed: the sites pair by position, whatever their
     * bodies (a fix that swaps two lambdas' bodies changes what each site creates, and an object made
     * at a site before the patch must run that site's new body, as it would in the new build).
     */
    private static void pairBySite(List<Site> news, List<Site> olds, Map<MethodNode, MethodNode> partner,
                                   Set<MethodNode> pairedOld) {
        if (news.isEmpty() || olds.isEmpty() || !code(olds.get(0).enclosing).equals(code(news.get(0).enclosing))) {
            return;
        }
        for (Site n : news) {
            for (Site o : olds) {
                if (o.ordinal == n.ordinal && !pairedOld.contains(o.body) && !partner.containsKey(n.body)) {
                    partner.put(n.body, o.body);
                    pairedOld.add(o.body);
                }
            }
        }
    }

    /**
     * Where the enclosing method changed, pairing by code is a guess: it is uncertain where the code
     * around the sites ({@link SiteAlignment}) pairs a site with another partner than its code did
     * (two lambdas of one kind whose branches were swapped, say). Returns such sites, in words.
     */
    private static List<String> uncertain(String owner, List<Site> news, List<Site> olds,
                                          Map<MethodNode, MethodNode> partner) {
        if (news.isEmpty() || olds.isEmpty() || code(olds.get(0).enclosing).equals(code(news.get(0).enclosing))) {
            return List.of();
        }
        Map<String, String> byContext = SiteAlignment.pairs(owner, olds.get(0).enclosing, news.get(0).enclosing);
        List<String> found = new ArrayList<>();
        for (Site n : news) {
            String context = byContext.get(n.body.name + n.body.desc);
            MethodNode byCode = partner.get(n.body);
            if (context != null && byCode != null && !context.equals(byCode.name + byCode.desc)) {
                found.add(n.body.name + " (site " + n.ordinal + " in " + n.enclosing.name + ")");
            }
        }
        return found;
    }

    /**
     * Exact code first (the same ordinal preferred, so two identical lambdas keep their order), then
     * the closest code among the rest, then position. Closest code, not position, pairs a changed
     * body: javac numbers in source order, and so does position, so a lambda inserted before an
     * existing one of the same kind, when the existing one's code changes too (a changed log text, a
     * renamed callee), would otherwise take the existing one's place and hand its objects the new
     * lambda's body.
     */
    private static void pairGroup(List<Site> news, List<Site> olds, Map<MethodNode, MethodNode> partner,
                                  Set<MethodNode> pairedOld) {
        Map<MethodNode, String> codes = new IdentityHashMap<>();
        java.util.function.Function<Site, String> codeOf = site -> codes.computeIfAbsent(site.body, LambdaPairing::code);
        List<Site> unpaired = new ArrayList<>();
        for (Site n : news) {
            String code = codeOf.apply(n);
            Site match = null;
            for (Site o : olds) {
                if (!pairedOld.contains(o.body) && code.equals(codeOf.apply(o))
                    && (match == null || o.ordinal == n.ordinal)) {
                    match = o;
                }
            }
            if (match != null) {
                partner.put(n.body, match.body);
                pairedOld.add(match.body);
            } else {
                unpaired.add(n);
            }
        }
        List<Site> rest = new ArrayList<>(olds);
        rest.removeIf(o -> pairedOld.contains(o.body));
        if (unpaired.isEmpty() || rest.isEmpty()) {
            return;
        }
        record Candidate(Site n, Site o, int distance) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Site n : unpaired) {
            String code = codeOf.apply(n);
            for (Site o : rest) {
                candidates.add(new Candidate(n, o, distance(code, codeOf.apply(o))));
            }
        }
        candidates.sort(java.util.Comparator.comparingInt(Candidate::distance)
            .thenComparingInt(c -> Math.abs(c.n.ordinal - c.o.ordinal))
            .thenComparingInt(c -> c.n.ordinal)
            .thenComparingInt(c -> c.o.ordinal));
        for (Candidate c : candidates) {
            if (!partner.containsKey(c.n.body) && !pairedOld.contains(c.o.body)) {
                partner.put(c.n.body, c.o.body);
                pairedOld.add(c.o.body);
            }
        }
    }

    /**
     * The edit distance between two bodies' code (as {@link #code} text) in tokens: names and numbers
     * ({@code Ls4}, {@code v1}, {@code m5}) and single other characters, so that a constant or callee
     * that changed counts once, and a shared character inside a changed name ("Ls2" against "Ls1@v2")
     * makes no bodies closer. Only the part between the common prefix and suffix is compared; where
     * that part is too long to compare cheaply, its length is the distance.
     */
    public static int distance(String a, String b) {
        List<String> x = tokens(a);
        List<String> y = tokens(b);
        int p = 0;
        while (p < x.size() && p < y.size() && x.get(p).equals(y.get(p))) {
            p++;
        }
        int s = 0;
        while (s < x.size() - p && s < y.size() - p && x.get(x.size() - 1 - s).equals(y.get(y.size() - 1 - s))) {
            s++;
        }
        x = x.subList(p, x.size() - s);
        y = y.subList(p, y.size() - s);
        if (x.isEmpty() || y.isEmpty() || (long) x.size() * y.size() > 4_000_000L) {
            return Math.max(x.size(), y.size());
        }
        int[] prev = new int[y.size() + 1];
        int[] row = new int[y.size() + 1];
        for (int j = 0; j <= y.size(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= x.size(); i++) {
            row[0] = i;
            for (int j = 1; j <= y.size(); j++) {
                int cost = x.get(i - 1).equals(y.get(j - 1)) ? 0 : 1;
                row[j] = Math.min(Math.min(row[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = row;
            row = t;
        }
        return prev[y.size()];
    }

    private static List<String> tokens(String code) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                int start = i;
                while (i < code.length() && (Character.isLetterOrDigit(code.charAt(i)) || code.charAt(i) == '_'
                    || code.charAt(i) == '$')) {
                    i++;
                }
                out.add(code.substring(start, i));
            } else {
                out.add(String.valueOf(c));
                i++;
            }
        }
        return out;
    }

    /**
     * The enclosing method's part of a new site's key, in the old version's terms: its name for a
     * method, the partner's key for a paired enclosing lambda; null while the enclosing lambda is not
     * paired yet.
     */
    private static String enclosingKey(Site s, Map<MethodNode, Site> newSites, Map<MethodNode, String> newKeys) {
        if (!newSites.containsKey(s.enclosing)) {
            return s.enclosing.name + s.enclosing.desc;
        }
        return newKeys.get(s.enclosing);
    }

    private static String key(Site s, Map<MethodNode, Site> sites, Map<MethodNode, String> keys) {
        String known = keys.get(s.body);
        if (known != null) {
            return known;
        }
        keys.put(s.body, "(cycle)");
        Site outer = sites.get(s.enclosing);
        String enclosing = outer == null ? s.enclosing.name + s.enclosing.desc : key(outer, sites, keys);
        String key = enclosing + " -> " + s.local + "#" + s.ordinal;
        keys.put(s.body, key);
        return key;
    }

    private static String kind(String key) {
        return key.substring(0, key.lastIndexOf('#'));
    }

    /** The body's code with every lambda name blanked: javac's numbering of nested lambdas is not a change. */
    private static String code(MethodNode body) {
        return MethodBodies.fingerprint(body).replaceAll("lambda\\$[A-Za-z0-9_$]*", "lambda\\$");
    }

    /**
     * The name an earlier version gave a body with exactly this code at the same kind of site, if the
     * running version does not use it and no other body of the new version took it; else null.
     */
    private static String earlierName(Site s, String kind, Map<String, Set<String>> earlierBodies, Set<String> runningNames,
                                      Set<String> assigned) {
        String wanted = kind + "\n" + code(s.body);
        return earlierBodies.entrySet().stream()
            .filter(e -> e.getValue().contains(wanted) && !runningNames.contains(e.getKey()) && !assigned.contains(e.getKey())
                && e.getKey().endsWith(s.body.desc))
            .map(Map.Entry::getKey)
            .sorted()
            .map(nameDesc -> nameDesc.substring(0, nameDesc.length() - s.body.desc.length()))
            .findFirst().orElse(null);
    }

    /** {@code lambda$install$lp4j$<hash of the site>}: javac never makes such a name. */
    private static String freshName(String javacName, String siteKey, String desc, Set<String> taken,
                                    Set<String> assigned) {
        String base = javacName.matches("lambda\\$.+\\$\\d+") ? javacName.substring(0, javacName.lastIndexOf('$'))
            : "lambda$";
        String hash = Sha256.hex((siteKey + desc).getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 10);
        String name = base + "$lp4j$" + hash;
        for (int i = 2; taken.contains(name + desc) || assigned.contains(name + desc); i++) {
            name = base + "$lp4j$" + hash + "$" + i;
        }
        return name;
    }

    /** Every lambda body of the class and its site. */
    private static Map<MethodNode, Site> sites(ClassNode c) {
        Map<String, MethodNode> synthetic = new HashMap<>();
        for (MethodNode m : c.methods) {
            if ((m.access & Opcodes.ACC_SYNTHETIC) != 0) {
                synthetic.put(m.name + m.desc, m);
            }
        }
        Map<MethodNode, Site> sites = new LinkedHashMap<>();
        for (MethodNode m : c.methods) {
            Map<String, Integer> ordinals = new HashMap<>();
            for (AbstractInsnNode insn : m.instructions) {
                if (!(insn instanceof InvokeDynamicInsnNode indy) || !METAFACTORY.equals(indy.bsm.getOwner())
                    || indy.bsmArgs.length < 3 || !(indy.bsmArgs[1] instanceof Handle h) || !h.getOwner().equals(c.name)) {
                    continue;
                }
                MethodNode body = synthetic.get(h.getName() + h.getDesc());
                if (body == null || sites.containsKey(body)) {
                    continue;
                }
                String local = indy.name + indy.desc + " " + indy.bsmArgs[0] + " " + indy.bsmArgs[2] + " "
                    + (h.getTag() == Opcodes.H_INVOKESTATIC ? "static " : "instance ") + h.getDesc()
                    + " " + indy.bsm.getName();
                int ordinal = ordinals.merge(local, 1, Integer::sum) - 1;
                sites.put(body, new Site(body, m, local, ordinal));
            }
        }
        return sites;
    }
}
