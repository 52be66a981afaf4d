package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.agent.bootstrap.Generation;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.diff.MethodBodies;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Which methods of a class run different code in two versions: the methods whose frames can hold a
 * thread back in a transition (stack checks are per changed method, as Linux livepatch checks per
 * patched function; a frame of a method with the same code in both versions holds nothing back).
 * A method present in only one of the versions counts as changed. The two versions are read and
 * compared instruction by instruction ({@link MethodBodies#sameCode}), and only the answer is kept,
 * per pair of versions, for the next transition between them (a patch applied again after its
 * rollback): text fingerprints kept per version instead cost the heap several megabytes for a big
 * patch, for as long as the class lived.
 */
final class ChangedMethods {

    /**
     * Per pair of versions, the answer; weak in the first, which the second outlives only as long as
     * their class does. Guarded by itself: the apply's workers fill it at once, each its own classes.
     */
    private static final Map<ClassVersion, Map<ClassVersion, Set<String>>> KNOWN = new WeakHashMap<>();

    private ChangedMethods() {}

    /**
     * For each class, its changed methods between its versions in {@code from} and {@code to}. The
     * classes are shared over the apply's workers (ApplyWorkers: they read class bytes only).
     */
    static Map<Class<?>, Set<String>> of(Set<HostClass> classes, Generation from, Generation to) {
        List<HostClass> all = new ArrayList<>(classes);
        List<Set<String>> changed;
        try {
            changed = ApplyWorkers.map("transition", all, null, // reads class bytes only: loads nothing
                h -> between(h, Lifecycle.versionIn(from, h), Lifecycle.versionIn(to, h)));
        } catch (PatchException e) {
            throw new IllegalStateException(e); // between throws none
        }
        Map<Class<?>, Set<String>> byClass = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            byClass.put(all.get(i).type, changed.get(i));
        }
        return Map.copyOf(byClass);
    }

    /**
     * The keys (name + descriptor) of the methods of {@code h} whose code differs between {@code a}
     * and {@code b}; every method when the two reach different static state (a re-initialized class,
     * HostClass variants): the same code reads other values there.
     */
    static Set<String> between(HostClass h, ClassVersion a, ClassVersion b) {
        if (a == b) {
            return Set.of();
        }
        synchronized (KNOWN) {
            Set<String> known = KNOWN.getOrDefault(a, Map.of()).get(b);
            if (known != null) {
                return known;
            }
        }
        Set<String> changed = compare(h, a, b);
        synchronized (KNOWN) {
            KNOWN.computeIfAbsent(a, k -> new WeakHashMap<>()).put(b, changed);
        }
        return changed;
    }

    private static Set<String> compare(HostClass h, ClassVersion a, ClassVersion b) {
        Map<String, MethodNode> ma = methods(a);
        Map<String, MethodNode> mb = methods(b);
        Set<String> keys = new HashSet<>(ma.keySet());
        keys.addAll(mb.keySet());
        boolean sameState = h.sameStaticState(a, b);
        Set<String> changed = new HashSet<>();
        for (String k : keys) {
            MethodNode x = ma.get(k);
            MethodNode y = mb.get(k);
            if (!sameState || x == null || y == null || !MethodBodies.sameCode(x, y)) {
                changed.add(k);
            }
        }
        return Set.copyOf(changed);
    }

    private static Map<String, MethodNode> methods(ClassVersion v) {
        ClassNode node = new ClassNode();
        new ClassReader(v.bytes()).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        Map<String, MethodNode> m = new HashMap<>();
        for (MethodNode mn : node.methods) {
            m.put(mn.name + mn.desc, mn);
        }
        return m;
    }
}
