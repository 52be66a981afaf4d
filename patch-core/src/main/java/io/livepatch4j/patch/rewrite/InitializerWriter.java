package io.livepatch4j.patch.rewrite;

import io.livepatch4j.patch.diff.StaticInitializers;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

import java.util.Map;

/**
 * The implementation method {@code s$lp4j$clinit()} that runs, once, the statements of a version's
 * static initializer that the running version's did not run ({@link StaticInitializers.Plan}), in
 * source order. A store to a static field the running version has is dropped (the value it holds is
 * kept); stores to fields the patch adds reach their shadow storage through the usual rewrites.
 */
final class InitializerWriter {

    /** The host method that stands for it (static {@code lp4j$clinit()V}). */
    static final String METHOD = "lp4j$clinit";

    private InitializerWriter() {}

    static void write(ClassWriter cw, ClassNode version, StaticInitializers.Plan plan, RewriteContext ctx,
                      String statusClass) {
        MethodNode clinit = StaticInitializers.clinit(version);
        MethodNode run = new MethodNode(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, METHOD, "()V", null, null);
        run.instructions.add(new InsnNode(Opcodes.NOP)); // a statement may open with a frame; none at offset 0
        if (clinit != null) {
            Map<LabelNode, LabelNode> labels = ImplClassWriter.freshLabels(clinit.instructions);
            for (StaticInitializers.Statement s : plan.run()) {
                for (int i = s.from(); i < s.to(); i++) {
                    AbstractInsnNode insn = clinit.instructions.get(i);
                    if (insn instanceof FieldInsnNode f && f.getOpcode() == Opcodes.PUTSTATIC && f.owner.equals(version.name)
                        && plan.existing().contains(f.name + ":" + f.desc)) {
                        run.instructions.add(new InsnNode(Type.getType(f.desc).getSize() == 2 ? Opcodes.POP2 : Opcodes.POP));
                    } else {
                        run.instructions.add(insn.clone(labels));
                    }
                }
                for (TryCatchBlockNode t : clinit.tryCatchBlocks) {
                    int start = clinit.instructions.indexOf(t.start);
                    if (start >= s.from() && start < s.to()) {
                        run.tryCatchBlocks.add(new TryCatchBlockNode(labels.get(t.start), labels.get(t.end),
                            labels.get(t.handler), t.type));
                    }
                }
                if (endsWithFrame(run)) {
                    // The statement ends at a jump target (its frame with it): the next statement, or
                    // the return, may open with a frame of its own, and two cannot share an offset.
                    run.instructions.add(new InsnNode(Opcodes.NOP));
                }
            }
            run.maxStack = Math.max(clinit.maxStack, 1);
            run.maxLocals = clinit.maxLocals;
        }
        run.instructions.add(new InsnNode(Opcodes.RETURN));
        AddedConstructorCalls.rewrite(ctx.impl(), run, ctx);
        MethodVisitor out = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
            ImplNames.method(METHOD, true), "()V", null, null);
        run.accept(ImplClassWriter.pipeline(ctx, new CodeOnly(out), statusClass));
    }

    private static boolean endsWithFrame(MethodNode m) {
        for (AbstractInsnNode insn = m.instructions.getLast(); insn != null; insn = insn.getPrevious()) {
            if (insn.getType() == AbstractInsnNode.FRAME) {
                return true;
            }
            if (insn.getType() != AbstractInsnNode.LABEL && insn.getType() != AbstractInsnNode.LINE) {
                return false;
            }
        }
        return false;
    }
}
