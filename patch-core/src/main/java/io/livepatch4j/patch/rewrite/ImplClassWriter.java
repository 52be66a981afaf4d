package io.livepatch4j.patch.rewrite;

import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.ConstructorSplit;
import io.livepatch4j.patch.diff.RecordConstructors;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns one version of a class into its implementation class: a class, defined by the agent as a
 * hidden nestmate of the loaded class, holding every method of that version as a static method
 * that takes the receiver as its first parameter. The locals keep their slots (the receiver stays
 * in slot 0), so the code and its stack map frames carry over; only the instructions that the host
 * alone may execute are rewritten, each by its own visitor:
 *
 * <pre>
 *   code -> AddedMethodCalls -> PrivateCalls -> SuperCalls -> ProtectedMembers -> HostLookup -> PrivateAccess
 *        -> AssertionReads -> ShadowFields -> VolatileFields -> FinalFieldWrites -> LambdaHandles -> CodeOnly
 *        -> class writer
 * </pre>
 *
 * A constructor contributes only the code after its {@code super(...)}/{@code this(...)} call. A
 * method that became {@code synchronized} holds its monitor in the code ({@link Monitors}); an
 * override the version removed gets a body that calls the inherited method ({@link RemovedOverrides}).
 */
public final class ImplClassWriter {

    private ImplClassWriter() {}

    /** The implementation class bytes for {@code versionBytes}, a version of {@code ctx.host()}. */
    public static byte[] write(byte[] versionBytes, RewriteContext ctx) {
        return write(versionBytes, ctx, null);
    }

    /**
     * The same, plus {@code s$lp4j$clinit()}, which runs what {@code initializer} selects of the
     * version's static initializer ({@link InitializerWriter}); the agent defines this copy once, to
     * run it when the patch is applied.
     */
    public static byte[] write(byte[] versionBytes, RewriteContext ctx, io.livepatch4j.patch.diff.StaticInitializers.Plan initializer) {
        if (FrameUpgrade.needed(versionBytes)) {
            versionBytes = FrameUpgrade.toJava7(versionBytes, ctx.resolver() instanceof ClassHierarchy h ? h
                : ClassHierarchy.ofResources(ClassLoader.getSystemClassLoader()));
        }
        ClassNode version = ClassDiff.read(versionBytes);
        String statusClass = io.livepatch4j.patch.diff.AssertionSwitch.statusClass(version);
        ClassWriter cw = new ClassWriter(0);
        int classVersion = Math.max(version.version & 0xFFFF, Opcodes.V11);
        cw.visit(classVersion, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, ctx.impl(), null,
            "java/lang/Object", null);
        if (version.sourceFile != null) {
            cw.visitSource(version.sourceFile, null);
        }
        for (MethodNode m : version.methods) {
            if ("<clinit>".equals(m.name) || (m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                continue;
            }
            boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
            MethodVisitor out = cw.visitMethod(
                Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | (m.access & Opcodes.ACC_SYNTHETIC),
                ImplNames.method(m.name, isStatic), ImplNames.descriptor(version.name, m.desc, isStatic), null, null);
            if (RecordConstructors.writtenField(version, m) != null) {
                neverDispatched(out, version.name, m);
                continue;
            }
            MethodNode body = "<init>".equals(m.name) ? constructorBody(version.name, m) : m;
            AddedConstructorCalls.rewrite(ctx.impl(), body, ctx);
            if (Monitors.needed(ctx, m)) {
                body = Monitors.held(version.name, m);
            }
            body.accept(pipeline(ctx, new CodeOnly(out), statusClass));
        }
        RemovedOverrides.write(cw, version, ctx, statusClass);
        ConstructorFactories.write(cw, version, ctx, statusClass);
        FieldInitializers.write(cw, version, ctx, statusClass);
        if (initializer != null) {
            InitializerWriter.write(cw, version, initializer, ctx, statusClass);
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * A class the patch adds, rewritten where it uses what the patch adds to loaded classes (added
     * constructors, methods and fields); it keeps its own methods (no implementation class).
     */
    public static byte[] rewriteAdded(byte[] classBytes, RewriteContext ctx) {
        ClassNode node = ClassDiff.read(classBytes);
        for (MethodNode m : node.methods) {
            AddedConstructorCalls.rewrite(node.name, m, ctx);
        }
        ClassWriter cw = new ClassWriter(0);
        node.accept(new org.objectweb.asm.ClassVisitor(Opcodes.ASM9, cw) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                return pipeline(ctx, super.visitMethod(access, name, desc, sig, exceptions));
            }
        });
        return cw.toByteArray();
    }

    /** The rewrite visitors, outermost first. Also used for classes a patch adds (no implementation class). */
    public static MethodVisitor pipeline(RewriteContext ctx, MethodVisitor out) {
        return pipeline(ctx, out, null);
    }

    /** @param statusClass where javac's assertion switch of the version asks (AssertionSwitch), or null */
    static MethodVisitor pipeline(RewriteContext ctx, MethodVisitor out, String statusClass) {
        MethodVisitor mv = new LambdaHandles(ctx, out);
        if (ctx.rewritingImpl()) {
            mv = new FinalFieldWrites(ctx, mv);
        }
        mv = new VolatileFields(ctx, mv);
        mv = new ShadowFields(ctx, mv);
        mv = new AssertionReads(ctx, statusClass, mv);
        mv = new PrivateAccess(ctx, mv);
        if (ctx.rewritingImpl()) {
            mv = new HostLookup(ctx, mv);
            mv = new ProtectedMembers(ctx, mv);
            mv = new SuperCalls(ctx, mv);
            mv = new PrivateCalls(ctx, mv);
        }
        return new AddedMethodCalls(ctx, mv);
    }

    /**
     * A record constructor that writes the record's fields keeps no prologue (RecordConstructors), so
     * nothing dispatches to its implementation method; it exists only so that every method has one.
     */
    private static void neverDispatched(MethodVisitor out, String owner, MethodNode ctor) {
        out.visitCode();
        out.visitTypeInsn(Opcodes.NEW, "java/lang/IllegalStateException");
        out.visitInsn(Opcodes.DUP);
        out.visitLdcInsn("livepatch4j: " + owner.replace('/', '.') + "#<init>" + ctor.desc + " of a record is never "
            + "dispatched; please report this");
        out.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "(Ljava/lang/String;)V",
            false);
        out.visitInsn(Opcodes.ATHROW);
        out.visitMaxs(3, Type.getArgumentsAndReturnSizes(ImplNames.descriptor(owner, ctor.desc, false)) >> 2);
        out.visitEnd();
    }

    /** A new label for each label of {@code code}, for copying its instructions with {@code clone}. */
    public static Map<LabelNode, LabelNode> freshLabels(InsnList code) {
        Map<LabelNode, LabelNode> labels = new HashMap<>();
        for (AbstractInsnNode insn : code) {
            if (insn instanceof LabelNode l) {
                labels.put(l, new LabelNode());
            }
        }
        return labels;
    }

    /** The constructor's code after the object is initialized, as a method of its own. */
    private static MethodNode constructorBody(String owner, MethodNode ctor) {
        int split = ConstructorSplit.initializingCall(owner, ctor);
        if (split < 0) {
            throw new RewriteException(owner.replace('/', '.') + "#<init>" + ctor.desc
                + ": no super(...)/this(...) call found; rebuild the class with javac");
        }
        MethodNode body = new MethodNode(ctor.access, ctor.name, ctor.desc, null, null);
        Map<LabelNode, LabelNode> labels = freshLabels(ctor.instructions);
        int firstIndex = split + 1;
        java.util.Set<LabelNode> kept = new java.util.HashSet<>();
        for (AbstractInsnNode insn = ctor.instructions.get(split).getNext(); insn != null; insn = insn.getNext()) {
            if (insn instanceof LabelNode l) {
                kept.add(l);
            }
        }
        for (AbstractInsnNode insn = ctor.instructions.get(split).getNext(); insn != null; insn = insn.getNext()) {
            if (insn instanceof org.objectweb.asm.tree.LineNumberNode line && !kept.contains(line.start)) {
                continue; // its label precedes the split; the line is reported by the next entry
            }
            body.instructions.add(insn.clone(labels));
        }
        for (TryCatchBlockNode tcb : ctor.tryCatchBlocks) {
            if (ctor.instructions.indexOf(tcb.start) < firstIndex) {
                throw new RewriteException(owner.replace('/', '.') + "#<init>" + ctor.desc
                    + ": a try block spans the super(...)/this(...) call; move the call out of it");
            }
            body.tryCatchBlocks.add(new TryCatchBlockNode(labels.get(tcb.start), labels.get(tcb.end),
                labels.get(tcb.handler), tcb.type));
        }
        body.maxStack = ctor.maxStack;
        body.maxLocals = ctor.maxLocals;
        return body;
    }
}
