package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Reads and writes of a field that the new build declares {@code volatile} where the loaded field is
 * not: a loaded field's modifiers cannot change, so patched code accesses it with volatile
 * semantics through a {@code VarHandle} ({@code Dispatch.volatileField}). Code of older generations
 * keeps its plain accesses, as it did before the patch.
 */
final class VolatileFields extends MethodVisitor {

    private final RewriteContext ctx;

    VolatileFields(RewriteContext ctx, MethodVisitor next) {
        super(Opcodes.ASM9, next);
        this.ctx = ctx;
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String desc) {
        PatchShape.Entry entry = ctx.shape().entry(owner);
        Integer loaded = entry == null ? null : entry.host().fieldAccess(name, desc);
        Integer wanted = entry == null ? null : entry.version().fieldAccess(name, desc);
        if (loaded != null && wanted != null && (wanted & ~loaded & Opcodes.ACC_VOLATILE) != 0) {
            super.visitInvokeDynamicInsn(name, MemberAccess.fieldType(opcode, owner, desc), RuntimeNames.VOLATILE_FIELD,
                Type.getObjectType(owner), desc, opcode);
            return;
        }
        super.visitFieldInsn(opcode, owner, name, desc);
    }
}
