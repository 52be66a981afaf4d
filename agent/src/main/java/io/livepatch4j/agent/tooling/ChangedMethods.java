package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.MethodBodies;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Which methods of a class run different code in two versions: the methods whose frames can hold a
 * thread back in a transition (stack checks are per changed method, as Linux livepatch checks per
 * patched function; a frame of a method with the same code in both versions holds nothing back).
 * A method present in only one of the versions counts as changed. Used by the tooling only, under
 * the lifecycle lock.
 */
final class ChangedMethods {

    /** Per version: method key (name + descriptor) to the fingerprint of its code. */
    private static final Map<ClassVersion, Map<String, String>> FINGERPRINTS = new WeakHashMap<>();

    private ChangedMethods() {}

    /**
     * The keys of the methods of {@code h} whose code differs between {@code a} and {@code b}; every
     * method when the two reach different static state (a re-initialized class, HostClass variants):
     * the same code reads other values there.
     */
    static Set<String> between(HostClass h, ClassVersion a, ClassVersion b) {
        if (a == b) {
            return Set.of();
        }
        Map<String, String> fa = fingerprints(a);
        Map<String, String> fb = fingerprints(b);
        Set<String> keys = new HashSet<>(fa.keySet());
        keys.addAll(fb.keySet());
        boolean sameState = h.sameStaticState(a, b);
        Set<String> changed = new HashSet<>();
        for (String k : keys) {
            if (!sameState || !Objects.equals(fa.get(k), fb.get(k))) {
                changed.add(k);
            }
        }
        return Set.copyOf(changed);
    }

    private static synchronized Map<String, String> fingerprints(ClassVersion v) {
        return FINGERPRINTS.computeIfAbsent(v, k -> {
            ClassNode node = ClassDiff.read(k.bytes());
            Map<String, String> m = new HashMap<>();
            for (MethodNode mn : node.methods) {
                m.put(mn.name + mn.desc, mn.instructions.size() == 0 ? "" : MethodBodies.fingerprint(mn));
            }
            return m;
        });
    }
}
