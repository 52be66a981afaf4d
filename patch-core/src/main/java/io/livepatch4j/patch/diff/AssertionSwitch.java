package io.livepatch4j.patch.diff;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * javac's assertion switch. The first {@code assert} in a class makes javac add a field
 * {@code static final synthetic boolean $assertionsDisabled} and, at the head of the static
 * initializer, {@code $assertionsDisabled = !Outermost.class.desiredAssertionStatus()}. A loaded
 * class never runs its initializer again, but that value can be computed where it is read, so a fix
 * that adds an assert needs no new initializer: the rewrite reads the class's desired assertion
 * status instead of the field ({@code AssertionReads}).
 */
public final class AssertionSwitch {

    public static final String FIELD = "$assertionsDisabled";

    private AssertionSwitch() {}

    /**
     * The class whose desired assertion status javac's switch reads (the outermost class of
     * {@code version}, as javac wrote it into the static initializer), or null if the class has no switch.
     */
    public static String statusClass(org.objectweb.asm.tree.ClassNode version) {
        for (MethodNode m : version.methods) {
            if ("<clinit>".equals(m.name)) {
                for (AbstractInsnNode insn : m.instructions) {
                    if (insn instanceof MethodInsnNode mi && "desiredAssertionStatus".equals(mi.name)
                        && mi.getPrevious() instanceof LdcInsnNode ldc && ldc.cst instanceof Type t) {
                        return t.getInternalName();
                    }
                }
            }
        }
        return null;
    }

    /**
     * Whether {@code newInit} is {@code oldInit} (null: none) with javac's assertion switch put in
     * front, and nothing else changed.
     */
    static boolean onlyAddsSwitch(String owner, MethodNode oldInit, MethodNode newInit) {
        AbstractInsnNode end = switchEnd(owner, newInit);
        if (end == null) {
            return false;
        }
        AbstractInsnNode rest = end.getNext();
        if (rest == null) {
            return false;
        }
        String after = MethodBodies.fingerprint(newInit, rest, null);
        if (oldInit == null) {
            return onlyReturn(rest);
        }
        return after.equals(MethodBodies.fingerprint(oldInit));
    }

    private static boolean onlyReturn(AbstractInsnNode from) {
        for (AbstractInsnNode insn = from; insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() >= 0 && insn.getOpcode() != Opcodes.RETURN) {
                return false;
            }
        }
        return true;
    }

    /**
     * The last instruction of javac's assertion switch at the head of {@code init}, or null: the
     * {@code PUTSTATIC $assertionsDisabled} that sets the class's own switch, or, in an interface (which
     * may not have such a field), the read of a synthetic holder class's switch that javac puts there
     * so that the holder is initialized with the interface ({@code GETSTATIC Holder.$assertionsDisabled;
     * IFEQ next}).
     */
    private static AbstractInsnNode switchEnd(String owner, MethodNode init) {
        AbstractInsnNode head = init.instructions.getFirst();
        while (head != null && head.getOpcode() < 0) {
            head = head.getNext();
        }
        if (head instanceof FieldInsnNode touch && touch.getOpcode() == Opcodes.GETSTATIC && FIELD.equals(touch.name)
            && "Z".equals(touch.desc) && !touch.owner.equals(owner)) {
            AbstractInsnNode jump = touch.getNext();
            while (jump != null && jump.getOpcode() < 0) {
                jump = jump.getNext();
            }
            if (jump instanceof org.objectweb.asm.tree.JumpInsnNode j
                && (j.getOpcode() == Opcodes.IFEQ || j.getOpcode() == Opcodes.IFNE) && j.label == j.getNext()) {
                return j;
            }
            if (jump != null && jump.getOpcode() == Opcodes.POP) {
                return jump;
            }
            return null;
        }
        AbstractInsnNode insn = init.instructions.getFirst();
        boolean sawLdc = false;
        boolean sawStatus = false;
        for (; insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() < 0) {
                continue;
            }
            if (!sawLdc) {
                if (!(insn instanceof LdcInsnNode ldc) || !(ldc.cst instanceof Type)) {
                    return null;
                }
                sawLdc = true;
            } else if (!sawStatus) {
                if (!(insn instanceof MethodInsnNode mi) || !"desiredAssertionStatus".equals(mi.name)) {
                    return null;
                }
                sawStatus = true;
            } else if (insn instanceof FieldInsnNode fi) {
                return fi.getOpcode() == Opcodes.PUTSTATIC && fi.owner.equals(owner) && FIELD.equals(fi.name) ? insn : null;
            } else if (insn.getOpcode() != Opcodes.IFNE && insn.getOpcode() != Opcodes.ICONST_1
                && insn.getOpcode() != Opcodes.ICONST_0 && insn.getOpcode() != Opcodes.GOTO) {
                return null;
            }
        }
        return null;
    }
}
