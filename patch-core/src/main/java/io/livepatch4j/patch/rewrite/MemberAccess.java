package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The {@code invokedynamic} type that stands for a field or method instruction: the same operand
 * stack effect, so the rewrite keeps the code's stack map frames valid.
 */
final class MemberAccess {

    private MemberAccess() {}

    /** For GETFIELD/PUTFIELD/GETSTATIC/PUTSTATIC on {@code owner.name:desc}. */
    static String fieldType(int opcode, String owner, String desc) {
        String ownerDesc = Type.getObjectType(owner).getDescriptor();
        return switch (opcode) {
            case Opcodes.GETFIELD -> "(" + ownerDesc + ")" + desc;
            case Opcodes.PUTFIELD -> "(" + ownerDesc + desc + ")V";
            case Opcodes.GETSTATIC -> "()" + desc;
            default -> "(" + desc + ")V";
        };
    }

    /** For INVOKESTATIC (the descriptor itself) or an instance call (the receiver first). */
    static String methodType(int opcode, String owner, String desc) {
        return opcode == Opcodes.INVOKESTATIC ? desc : ImplNames.descriptor(owner, desc, false);
    }
}
