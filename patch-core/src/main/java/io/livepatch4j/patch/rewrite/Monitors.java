package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * A method whose version is {@code synchronized} where the loaded method is not (it became
 * synchronized, or was added so): the JVM takes no monitor for the loaded method, so its
 * implementation takes it in code, as javac compiles a {@code synchronized} block around the whole
 * body: the receiver's monitor (slot 0, which javac never reassigns), or the class's for a static
 * method, entered first, exited before every return and by a handler for every exception.
 */
final class Monitors {

    private Monitors() {}

    static boolean needed(RewriteContext ctx, MethodNode m) {
        if ((m.access & Opcodes.ACC_SYNCHRONIZED) == 0 || "<init>".equals(m.name)) {
            return false;
        }
        PatchShape.Entry entry = ctx.shape().entry(ctx.host());
        Integer loaded = entry == null ? null : entry.host().methodAccess(m.name, m.desc);
        return loaded == null || (loaded & Opcodes.ACC_SYNCHRONIZED) == 0
            || ((loaded ^ m.access) & Opcodes.ACC_STATIC) != 0;
    }

    /** A copy of {@code m} whose whole body holds the monitor. */
    static MethodNode held(String owner, MethodNode m) {
        boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
        MethodNode copy = new MethodNode(m.access, m.name, m.desc, m.signature, null);
        m.accept(copy);
        InsnList code = copy.instructions;
        LabelNode start = new LabelNode();
        LabelNode handler = new LabelNode();
        InsnList enter = new InsnList();
        enter.add(monitor(owner, isStatic));
        enter.add(new InsnNode(Opcodes.MONITORENTER));
        enter.add(start);
        code.insert(enter);
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            int op = insn.getOpcode();
            if (op >= Opcodes.IRETURN && op <= Opcodes.RETURN) {
                code.insertBefore(insn, monitor(owner, isStatic));
                code.insertBefore(insn, new InsnNode(Opcodes.MONITOREXIT));
            }
        }
        code.add(handler);
        Object[] locals = isStatic ? new Object[0] : new Object[] {owner};
        code.add(new FrameNode(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"}));
        code.add(monitor(owner, isStatic));
        code.add(new InsnNode(Opcodes.MONITOREXIT));
        code.add(new InsnNode(Opcodes.ATHROW));
        copy.tryCatchBlocks.add(new TryCatchBlockNode(start, handler, handler, null));
        copy.maxStack = Math.max(copy.maxStack, Type.getReturnType(m.desc).getSize()) + 2;
        return copy;
    }

    private static AbstractInsnNode monitor(String owner, boolean isStatic) {
        return isStatic ? new LdcInsnNode(Type.getObjectType(owner)) : new VarInsnNode(Opcodes.ALOAD, 0);
    }
}
