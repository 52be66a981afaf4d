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

    /** The {@code PUTSTATIC $assertionsDisabled} that ends the switch at the head of {@code init}, or null. */
    private static AbstractInsnNode switchEnd(String owner, MethodNode init) {
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
