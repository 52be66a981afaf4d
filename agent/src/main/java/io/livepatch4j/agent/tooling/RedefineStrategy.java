package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.agent.bootstrap.Generation;
import io.livepatch4j.patch.ChangeKind;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;

import java.lang.instrument.ClassDefinition;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code redefine} strategy, what HotSwap tools do: {@code Instrumentation.redefineClasses}
 * replaces the classes' own bodies in one safepoint. A unit of work in flight sees old and new code;
 * it exists so the benchmarks can compare it with the others in one run. Runs under
 * {@link Lifecycle#lock}.
 */
final class RedefineStrategy {

    private final Instrumentation inst;
    private final Lifecycle lifecycle;

    RedefineStrategy(Instrumentation inst, Lifecycle lifecycle) {
        this.inst = inst;
        this.lifecycle = lifecycle;
    }

    /**
     * Refuses what redefineClasses cannot do, before anything changes. {@code reverted}: the classes a
     * cumulative patch returns to their original code, which this strategy redefines with the original
     * bytes in the same redefinition.
     */
    void check(Patch patch, List<PatchPlan.Planned> plan, Map<HostClass, ClassVersion> reverted) throws PatchException {
        String patchId = patch.id();
        List<String> problems = new ArrayList<>();
        if (!patch.classRenames().isEmpty()) {
            problems.add("the patch carries copies of switch maps " + patch.classRenames().keySet() + " (a switch over "
                + "an enum changed): the redefine strategy (HotSwap) cannot define them; use the local or global strategy");
        }
        if (!patch.hooks().isEmpty()) {
            problems.add("the patch has callbacks or state transformers, which run in classes the patch adds: the "
                + "redefine strategy (HotSwap) cannot define them; use the local or global strategy");
        }
        for (PatchPlan.Planned p : plan) {
            if (p.patch().reinitialize()) {
                problems.add(p.patch().name() + ": the patch re-initializes the class, whose fresh static state only the "
                    + "local and global strategies hold apart from the old; use one of them");
            }
            if (p.host() != null && p.host().runtime.patched()) {
                problems.add(p.patch().name() + ": the class has a live patch applied with the local or global strategy; "
                    + "roll it back first");
            }
            p.diff().changes().stream().filter(c -> c.kind() != ChangeKind.METHOD_BODY).forEach(c -> problems.add(
                p.patch().name() + "#" + c.member() + ": the redefine strategy (HotSwap) can only change method bodies, "
                    + "not " + c.kind() + "; use the local or global strategy"));
        }
        for (HostClass h : reverted.keySet()) {
            if (h.runtime.patched()) {
                problems.add(h.name() + ": the patch replaces the live patches, so this class, which they changed with the "
                    + "local or global strategy and this patch does not name, would go back to its original code; the "
                    + "redefine strategy cannot undo their dispatch: apply it with the local or global strategy");
            }
        }
        if (!problems.isEmpty()) {
            throw new PatchException("refused patch " + patchId + ", nothing was changed:\n  - "
                + String.join("\n  - ", problems));
        }
    }

    /** The classes' bodies become {@code touched}'s versions; {@code target} is current at once. */
    ApplyResult apply(Generation target, String patchId, Map<HostClass, ClassVersion> touched, Includes includes)
        throws PatchException {
        List<ClassDefinition> defs = new ArrayList<>();
        touched.forEach((h, v) -> defs.add(new ClassDefinition(h.type, v.bytes())));
        redefine(defs);
        touched.forEach((h, v) -> h.bodyVersion = v.number());
        return lifecycle.published(target, patchId, "patch " + patchId, touched.keySet(), includes);
    }

    /** Rolls the redefined bodies back to generation {@code to}'s code, as the new generation {@code back}. */
    ApplyResult rollback(Generation back, long to, Generation current, Includes includes) throws PatchException {
        List<ClassDefinition> defs = new ArrayList<>();
        Set<HostClass> touched = new LinkedHashSet<>();
        for (HostClass h : lifecycle.hosts().values()) {
            ClassVersion v = Lifecycle.versionIn(back, h);
            if (Lifecycle.versionIn(current, h) != v) {
                if (h.runtime.patched()) {
                    throw new PatchException("refused: class " + h.name() + " has a live patch applied with the local "
                        + "or global strategy; roll it back with that strategy");
                }
                defs.add(new ClassDefinition(h.type, v.bytes()));
                touched.add(h);
            }
        }
        redefine(defs);
        touched.forEach(h -> h.bodyVersion = Lifecycle.versionIn(back, h).number());
        return lifecycle.published(back, null, "rollback to G" + to, touched, includes);
    }

    private void redefine(List<ClassDefinition> defs) throws PatchException {
        try {
            inst.redefineClasses(defs.toArray(new ClassDefinition[0]));
        } catch (ClassNotFoundException | UnmodifiableClassException | RuntimeException | LinkageError e) {
            throw new PatchException("refused: the JVM would not redefine the classes (" + e
                + "); nothing was changed", e);
        }
    }
}
