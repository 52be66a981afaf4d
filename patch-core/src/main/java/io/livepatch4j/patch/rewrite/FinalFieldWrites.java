package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Writes to the host's final instance fields, which a patched constructor body makes. The JVM lets
 * only the class's own {@code <init>} write them; the constructor body now runs in the
 * implementation class, so {@code Dispatch.finalField} links the write to a setter the host's
 * lookup grants (final fields of ordinary classes are writable by deep reflection).
 */
final class FinalFieldWrites extends MethodVisitor {

    private final RewriteContext ctx;

    FinalFieldWrites(RewriteContext ctx, MethodVisitor next) {
        super(Opcodes.ASM9, next);
        this.ctx = ctx;
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String desc) {
        PatchShape.Entry entry = ctx.shape().entry(owner);
        if (opcode == Opcodes.PUTFIELD && owner.equals(ctx.host()) && entry != null) {
            Integer access = entry.host().fieldAccess(name, desc);
            if (access != null && (access & Opcodes.ACC_FINAL) != 0) {
                String ownerDesc = Type.getObjectType(owner).getDescriptor();
                super.visitInvokeDynamicInsn(name, "(" + ownerDesc + desc + ")V", RuntimeNames.FINAL_FIELD,
                    Type.getObjectType(owner), desc);
                return;
            }
        }
        super.visitFieldInsn(opcode, owner, name, desc);
    }
}
