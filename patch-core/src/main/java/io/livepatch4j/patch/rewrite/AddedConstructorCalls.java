package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code new C(args)} in patched code, where the constructor is one a patch added to loaded class
 * C: the loaded class has no such constructor, so the {@code new}/{@code dup} pair goes and the
 * constructor call becomes a call of the constructor's factory ({@code lp4j$new}, written by
 * {@link ConstructorFactories}), which leaves the same initialized object on the stack. The
 * uninitialized values drop out of the stack map frames between the two.
 */
final class AddedConstructorCalls {

    /** The host method that stands for an added constructor's factory: {@code static lp4j$new(args)C}. */
    static final String FACTORY = "lp4j$new";
    /** The same with a first argument that the factory ignores (the constructor's uninitialized this). */
    static final String FACTORY_THIS = "lp4j$new0";

    private AddedConstructorCalls() {}

    static String factoryDescriptor(String owner, String ctorDesc) {
        return Type.getMethodDescriptor(Type.getObjectType(owner), Type.getArgumentTypes(ctorDesc));
    }

    /** Rewrites {@code m} in place; a no-op unless it calls an added constructor. */
    static void rewrite(String owner, MethodNode m, RewriteContext ctx) {
        List<MethodInsnNode> calls = new ArrayList<>();
        for (AbstractInsnNode insn : m.instructions) {
            if (insn instanceof MethodInsnNode mi && mi.getOpcode() == Opcodes.INVOKESPECIAL && "<init>".equals(mi.name)
                && ctx.shape().isAddedMethod(mi.owner, "<init>", mi.desc)) {
                calls.add(mi);
            }
        }
        if (calls.isEmpty()) {
            return;
        }
        Frame<SourceValue>[] frames;
        try {
            frames = new Analyzer<>(new SourceInterpreter()).analyze(owner, m);
        } catch (AnalyzerException e) {
            throw new RewriteException(owner.replace('/', '.') + "#" + m.name + m.desc + ": its code could not be "
                + "analyzed (" + e.getMessage() + "); rebuild it with javac");
        }
        Set<LabelNode> uninitialized = new HashSet<>();
        List<AbstractInsnNode> remove = new ArrayList<>();
        for (MethodInsnNode call : calls) {
            Frame<SourceValue> f = frames[m.instructions.indexOf(call)];
            if (f == null) {
                continue; // unreachable
            }
            int receiver = f.getStackSize() - 1 - Type.getArgumentTypes(call.desc).length;
            SourceValue r = receiver >= 0 ? f.getStack(receiver) : null;
            AbstractInsnNode source = r != null && r.insns.size() == 1 ? r.insns.iterator().next() : null;
            // javac: new C; dup; args...; invokespecial C.<init>. The receiver is the dup's copy.
            if (source != null && source.getOpcode() == Opcodes.ALOAD && ((org.objectweb.asm.tree.VarInsnNode) source).var == 0
                && "<init>".equals(m.name)) {
                // A constructor's super(...)/this(...) to an added constructor: not a 'new'. The
                // constructor checks (ClassDiff, the agent's ConstructorCalls) refuse it with the reason.
                continue;
            }
            AbstractInsnNode dup = source;
            AbstractInsnNode created = dup != null && dup.getOpcode() == Opcodes.DUP ? dup.getPrevious() : null;
            while (created != null && created.getOpcode() < 0) {
                created = created.getPrevious();
            }
            if (!(created instanceof TypeInsnNode t) || t.getOpcode() != Opcodes.NEW || !t.desc.equals(call.owner)) {
                throw new RewriteException(owner.replace('/', '.') + "#" + m.name + m.desc + ": a call of the "
                    + "constructor " + call.owner.replace('/', '.') + call.desc + " that the patch adds is not "
                    + "javac's 'new C(...)'; rebuild it with javac");
            }
            uninitialized.addAll(labelsOf(created));
            remove.add(created);
            remove.add(dup);
            String factoryDesc = factoryDescriptor(call.owner, call.desc);
            AbstractInsnNode replacement = ctx.rewritingImpl() && call.owner.equals(ctx.host())
                ? new MethodInsnNode(Opcodes.INVOKESTATIC, ctx.impl(), ImplNames.method(FACTORY, true), factoryDesc, false)
                : new InvokeDynamicInsnNode(ImplNames.method(FACTORY, true), factoryDesc, RuntimeNames.ADDED_METHOD,
                    Type.getObjectType(call.owner), FACTORY, factoryDesc, RuntimeNames.FLAG_STATIC);
            m.instructions.set(call, replacement);
        }
        remove.forEach(m.instructions::remove);
        for (AbstractInsnNode insn : m.instructions) {
            if (insn instanceof FrameNode fn && fn.stack != null) {
                fn.stack.removeIf(uninitialized::contains);
            }
        }
    }

    /** The labels an expanded frame may use for the value {@code new} made: those just before it. */
    private static List<LabelNode> labelsOf(AbstractInsnNode created) {
        List<LabelNode> labels = new ArrayList<>();
        for (AbstractInsnNode p = created.getPrevious(); p != null && p.getOpcode() < 0; p = p.getPrevious()) {
            if (p instanceof LabelNode l) {
                labels.add(l);
            }
        }
        return labels;
    }
}
