package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.agent.bootstrap.Generation;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.diff.ClassShape;
import io.livepatch4j.patch.diff.Reinitialization;
import io.livepatch4j.patch.rewrite.PatchShape;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fresh static state of the classes patches re-initialize (Reinitialization), as the agent
 * keeps it apart: each re-initialization has a storage tag (HostClass.newReinitTag), its fields live
 * in shadow statics named with that tag, and every version compiled against it says so in its
 * variant ({@code "a.b.C@tag"}). Two generations live at once (a patch that re-initializes a class
 * again, stacked or cumulative, and the one it follows) therefore never share the state, and code
 * always reaches the state its own generation built. Used under Lifecycle.lock, like HostClass.
 */
final class FreshStatics {

    private FreshStatics() {}

    /**
     * Class name to storage tag in the generation {@code patch} makes from {@code current}: a new tag
     * for each class it re-initializes; for a stacked patch, the tag each other re-initialized class
     * has now (its fresh state stays); a cumulative patch replaces the live ones, so only its own.
     */
    static Map<String, Integer> forTarget(Generation current, Patch patch, List<PatchPlan.Planned> plan,
                                          Collection<HostClass> hosts) {
        Map<String, Integer> fresh = new TreeMap<>();
        if (!patch.replace()) {
            fresh.putAll(in(current, hosts));
        }
        for (PatchPlan.Planned p : plan) {
            if (p.patch().reinitialize()) {
                fresh.put(p.patch().name(), HostClass.newReinitTag());
            }
        }
        return fresh;
    }

    /** Class name to storage tag of every class whose version in {@code g} holds fresh state. */
    static Map<String, Integer> in(Generation g, Collection<HostClass> hosts) {
        Map<String, Integer> fresh = new TreeMap<>();
        for (HostClass h : hosts) {
            Integer tag = h.reinitTag(Lifecycle.versionIn(g, h));
            if (tag != null) {
                fresh.put(h.name(), tag);
            }
        }
        return fresh;
    }

    /** The variant of a version compiled against {@code fresh}. */
    static Set<String> variant(Map<String, Integer> fresh) {
        Set<String> v = new TreeSet<>();
        fresh.forEach((name, tag) -> v.add(name + "@" + tag));
        return v;
    }

    /** The fresh state a version's variant names. */
    static Map<String, Integer> of(Set<String> variant) {
        Map<String, Integer> fresh = new TreeMap<>();
        for (String e : variant) {
            int at = e.lastIndexOf('@');
            fresh.put(e.substring(0, at), Integer.parseInt(e.substring(at + 1)));
        }
        return fresh;
    }

    /** The entry of {@code h}, at version {@code v} in the generation, for code compiled against {@code fresh}. */
    static PatchShape.Entry entry(HostClass h, ClassVersion v, Map<String, Integer> fresh) {
        Integer tag = fresh.get(h.name());
        ClassVersion holder = tag == null ? null : h.withReinitTag(tag);
        Set<String> fields = holder == null ? Set.of() : Reinitialization.fields(holder.bytes());
        return new PatchShape.Entry(h.loadedShape, h.shape(v), fields, tag == null ? "" : "$lp4j$r" + tag);
    }
}
