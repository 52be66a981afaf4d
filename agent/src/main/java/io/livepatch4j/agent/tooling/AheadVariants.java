package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.diff.ClassShape;
import io.livepatch4j.patch.diff.ConstructorSplit;
import io.livepatch4j.patch.rewrite.ClassHierarchy;
import io.livepatch4j.patch.rewrite.ConstructorPrefixes;
import io.livepatch4j.patch.rewrite.FrameUpgrade;
import io.livepatch4j.patch.rewrite.PatchShape;
import io.livepatch4j.patch.rewrite.RewriteContext;
import io.livepatch4j.patch.rewrite.RuntimeNames;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The constructor call variants (ConstructorCalls) of the classes a patch is about to load, those no
 * code has loaded: computed from their class files before {@link PatchPlan#loadDeferred} loads them,
 * so that each class gets them as it is defined ({@link PreparedClasses#expect}) instead of by a
 * retransformation after (a RedefineClasses safepoint). ConstructorCalls then computes each again for
 * the loaded class in the patch's shape, and keeps the defined one only if it is the same code.
 *
 * <p>A definition cannot be undone, and the JVM verifies a class when it links it, later: the
 * retransformation it replaces could fail and leave the class as it was, a definition that fails to
 * verify leaves the class unusable for good. The verifier loads, through the loader that defines the
 * class, the classes its code passes where another type is expected; whether those load, and how
 * their hierarchy is, depends on the classes of the running program, which may not be those the patch
 * was built against (three review rounds found ways: a class the patch adds, an absent optional
 * dependency, a final or sealed superclass, another hierarchy, a class only a child loader sees). So
 * a class gets variants this way only where verifying them can load nothing but the JDK's own
 * classes: each variant calls a constructor its class file or its superclass has, and the classes the
 * verifier may load for its code ({@link VerifierLoads}) are only the class itself, its superclass,
 * classes of {@code java.*} and the agent's runtime. A call on a value of another class's own type
 * loads nothing, so it does not count. Any other class gets its variants as a loaded class does (one
 * retransformation), and so does a class this step fails for.
 */
final class AheadVariants {

    private static final String AGENT_RUNTIME = RuntimeNames.DISPATCH.substring(0, RuntimeNames.DISPATCH.lastIndexOf('/') + 1);

    private AheadVariants() {}

    /**
     * Under the patch lock, once every check passed, before the deferred classes of {@code plan} load.
     * {@code shape}: the patch's shape as far as it is known before they load (asked only if a class
     * needs a variant).
     */
    static void expect(PreparedClasses prepared, List<PatchPlan.Planned> plan, Supplier<PatchShape> shape) {
        long start = System.nanoTime();
        int expected = 0;
        Map<String, byte[]> unloadedBytes = new HashMap<>();
        for (PatchPlan.Planned p : plan) {
            if (p.deferred()) {
                unloadedBytes.put(p.patch().name().replace('.', '/'), p.before());
            }
        }
        // Every class as its class file has it: reflection on a loaded class would load the classes its
        // members' signatures name, which may be one of these, before its variants are expected.
        Map<ClassLoader, Map<String, java.util.Optional<ClassShape>>> shapes = new java.util.IdentityHashMap<>();
        PatchShape context = null;
        for (PatchPlan.Planned p : plan) {
            if (!p.deferred() || FrameUpgrade.needed(p.before()) || FrameUpgrade.needed(p.bytes())) {
                continue; // an old class file's frames are computed against loaded classes
            }
            String host = p.patch().name().replace('.', '/');
            try {
                Map<MethodNode, String> changed = ConstructorCalls.changedCalls(host, p.before(), p.bytes());
                if (changed.isEmpty()) {
                    continue;
                }
                context = context == null ? shape.get() : context;
                Map<String, java.util.Optional<ClassShape>> known = shapes.computeIfAbsent(p.loader(), l -> new HashMap<>());
                Function<String, ClassShape> files = name -> known.computeIfAbsent(name, n -> {
                    byte[] b = unloadedBytes.get(n);
                    return java.util.Optional.ofNullable(b != null ? ClassShape.of(b) : ClassHierarchy.shape(p.loader(), n));
                }).orElse(null);
                LoadedMembers members = new LoadedMembers(p.loader(), context, files);
                Map<String, MethodNode> byCtor = new HashMap<>();
                Map<String, String> fingerprints = new HashMap<>();
                String unsafe = null;
                for (Map.Entry<MethodNode, String> c : changed.entrySet()) {
                    MethodNode m = c.getKey();
                    MethodInsnNode call = (MethodInsnNode) m.instructions.get(ConstructorSplit.initializingCall(host, m));
                    ClassShape owner = files.apply(call.owner);
                    if (owner == null || owner.methodAccess("<init>", call.desc) == null) {
                        unsafe = "its new call " + call.owner + call.desc + " is to a constructor it does not have";
                        break;
                    }
                    MethodNode prefix = ConstructorPrefixes.prefixOf(host, m, new RewriteContext(host, null, false,
                        context, members));
                    String superName = files.apply(host).superName();
                    String other = VerifierLoads.of(host, superName, prefix, files).stream()
                        .filter(name -> !allowed(name, host, superName)).findFirst().orElse(null);
                    if (other != null) {
                        unsafe = "the JVM's verifier may load " + other.replace('/', '.') + " for its new call's code, "
                            + "as it links the class";
                        break;
                    }
                    byCtor.put(m.desc, prefix);
                    fingerprints.put(m.desc, c.getValue());
                }
                if (unsafe == null) {
                    AgentLog.debug("livepatch4j: {0} gets its constructors'' new super(...)/this(...) calls as it is "
                        + "defined", p.patch().name());
                    prepared.expect(host, p.before(), p.loader(), byCtor, fingerprints);
                    expected++;
                } else {
                    AgentLog.debug("livepatch4j: {0} gets its constructors'' new super(...)/this(...) calls after it "
                        + "loads: {1}", p.patch().name(), unsafe);
                }
            } catch (RuntimeException | LinkageError | org.objectweb.asm.tree.analysis.AnalyzerException e) {
                AgentLog.debug("livepatch4j: {0} gets its constructors'' new super(...)/this(...) calls after it loads "
                    + "({1})", p.patch().name(), e.toString());
            }
        }
        if (!unloadedBytes.isEmpty()) {
            AgentLog.debug("livepatch4j: new constructor calls of {0} of the {1} classes not loaded yet computed before "
                + "their loading in {2} ms", expected, unloadedBytes.size(), (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * Whether the verifier may load {@code name} for a class defined with a variant: the class itself,
     * its superclass, the classes of {@code java.*} that this JDK has (only the JDK defines those, the
     * same for every loader) and the agent's runtime.
     */
    private static boolean allowed(String name, String host, String superName) {
        return name.equals(host) || name.equals(superName) || name.startsWith(AGENT_RUNTIME)
            || (name.startsWith("java/") && ClassLoader.getPlatformClassLoader().getResource(name + ".class") != null);
    }
}
