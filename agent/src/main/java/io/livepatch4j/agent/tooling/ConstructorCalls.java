package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.diff.ConstructorSplit;
import io.livepatch4j.patch.rewrite.ConstructorPrefixes;
import io.livepatch4j.patch.rewrite.FrameUpgrade;
import io.livepatch4j.patch.rewrite.PatchShape;
import io.livepatch4j.patch.rewrite.RewriteContext;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Constructors whose super(...)/this(...) call a version changes against the loaded class (see
 * ConstructorPrefixes): each such call becomes a variant the loaded constructor switches to in the
 * version's generations. A loaded class that needs a variant it does not have yet is retransformed,
 * once for the patch (one RedefineClasses safepoint, in prepared mode too); a class the patch loads
 * gets its variants as it is defined ({@link AheadVariants}). The variants stay in the class, unused once no
 * generation runs them. The call's target must exist in the loaded classes.
 */
final class ConstructorCalls {

    private record Added(Class<?> type, String desc, String fingerprint) {
    }

    private ConstructorCalls() {}

    /** Under the patch lock, before the versions are installed. */
    static void prepare(Instrumentation inst, PreparedClasses prepared, Map<HostClass, ClassVersion> touched,
                        PatchShape context) throws PatchException {
        Set<Class<?>> retransform = new LinkedHashSet<>();
        List<Added> added = new ArrayList<>();
        for (Map.Entry<HostClass, ClassVersion> e : touched.entrySet()) {
            HostClass h = e.getKey();
            ClassVersion v = e.getValue();
            String host = Type.getInternalName(h.type);
            LoadedMembers members = new LoadedMembers(h.type, context);
            Map<MethodNode, String> changed = changedCalls(host, FrameUpgrade.toJava7(h.original().bytes(), members),
                FrameUpgrade.toJava7(v.bytes(), members));
            for (Map.Entry<MethodNode, String> c : changed.entrySet()) {
                MethodNode m = c.getKey();
                String fingerprint = c.getValue();
                MethodInsnNode call = (MethodInsnNode) m.instructions.get(ConstructorSplit.initializingCall(host, m));
                requireLoaded(h, call);
                RewriteContext ctx = new RewriteContext(host, null, h.loadedShape.isInterface(), context, members);
                int known = prepared.prefixVariants(h.type, m.desc);
                MethodNode prefix;
                try {
                    prefix = ConstructorPrefixes.prefixOf(host, m, ctx);
                } catch (io.livepatch4j.patch.rewrite.RewriteException uncarried) {
                    throw new PatchException("refused: the new super(...)/this(...) call of a constructor of " + h.name()
                        + " cannot be carried (" + uncarried.getMessage() + "); nothing was changed", uncarried);
                }
                BootstrapLinks.grantPrivateAccess(h.type, prefix); // the prefix runs in the host's own constructor
                int n = prepared.prefixVariant(h.type, m.desc, fingerprint, prefix, retransform);
                if (n > known) {
                    added.add(new Added(h.type, m.desc, fingerprint));
                }
                h.runtime.prefixVariant(m.desc, v.number(), n);
            }
        }
        if (retransform.isEmpty()) {
            return;
        }
        AgentLog.debug("livepatch4j: retransforming {0} for the new super(...)/this(...) calls of their constructors",
            retransform);
        try {
            prepared.retransform(inst, List.copyOf(retransform));
        } catch (UnmodifiableClassException | RuntimeException | LinkageError ex) {
            added.forEach(a -> prepared.removePrefixVariant(a.type, a.desc, a.fingerprint));
            throw new PatchException("refused: the JVM would not redefine " + retransform + " with the new "
                + "super(...)/this(...) calls of their constructors (" + ex + "); nothing was changed", ex);
        }
        // A variant that does not fit (a constructor past the JVM's 64 KB) leaves the class with the code it had.
        List<String> missing = new ArrayList<>();
        for (Added a : added) {
            if (!prepared.holds(a.type, a.desc, prepared.prefixVariants(a.type, a.desc))) {
                missing.add(a.type.getName() + ".<init>" + a.desc);
            }
        }
        if (!missing.isEmpty()) {
            added.forEach(a -> prepared.removePrefixVariant(a.type, a.desc, a.fingerprint));
            throw new PatchException("refused: the new super(...)/this(...) call of " + String.join(", ", missing)
                + " does not fit in the constructor (the JVM's 64 KB of code per method); nothing was changed");
        }
    }

    /**
     * The version's constructors whose super(...)/this(...) call differs from that of the loaded
     * constructor of the same descriptor, each with the fingerprint of its call.
     */
    static Map<MethodNode, String> changedCalls(String host, byte[] loadedBytes, byte[] versionBytes) {
        ClassNode loaded = constructors(loadedBytes);
        Map<MethodNode, String> changed = new LinkedHashMap<>();
        for (MethodNode m : constructors(versionBytes).methods) {
            MethodNode o = constructor(loaded, m.desc);
            if (o == null) {
                continue;
            }
            String fingerprint = ConstructorSplit.prefixFingerprint(host, m);
            if (!fingerprint.equals(ConstructorSplit.prefixFingerprint(host, o))) {
                changed.put(m, fingerprint);
            }
        }
        return changed;
    }

    /**
     * The class with its constructors' code only, as ClassDiff reads it: the other methods' code is
     * skipped (reading every method of both versions of every class was most of this step).
     */
    private static ClassNode constructors(byte[] bytes) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9, node) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                return "<init>".equals(name) ? super.visitMethod(access, name, desc, signature, exceptions) : null;
            }
        }, ClassReader.EXPAND_FRAMES);
        return node;
    }

    private static MethodNode constructor(ClassNode c, String desc) {
        for (MethodNode m : c.methods) {
            if ("<init>".equals(m.name) && m.desc.equals(desc)) {
                return m;
            }
        }
        return null;
    }

    /** The new call's constructor must be one the loaded class (or superclass) has: it runs from loaded code. */
    private static void requireLoaded(HostClass h, MethodInsnNode call) throws PatchException {
        Class<?> owner = call.owner.equals(Type.getInternalName(h.type)) ? h.type : h.type.getSuperclass();
        try {
            MethodType t = MethodType.fromMethodDescriptorString(call.desc, h.type.getClassLoader());
            owner.getDeclaredConstructor(t.parameterArray());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw new PatchException("refused: a constructor of " + h.name() + " now calls " + call.owner.replace('/', '.')
                + call.desc + ", which the loaded " + (owner == null ? "class" : owner.getName()) + " does not have; "
                + "nothing was changed: call a constructor it has", e);
        }
    }
}
