package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Reads and writes of fields a patch added. Loaded objects cannot grow fields, so an added field
 * lives beside the object (a shadow field, keyed by object identity, as Linux livepatch's shadow
 * variables); {@code Dispatch.shadowField} links each access to that storage.
 */
final class ShadowFields extends MethodVisitor {

    private final RewriteContext ctx;

    ShadowFields(RewriteContext ctx, MethodVisitor next) {
        super(Opcodes.ASM9, next);
        this.ctx = ctx;
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String desc) {
        String declaring = ctx.shape().declaringAdded(owner, name, desc, true,
            ctx.resolver() instanceof ClassHierarchy h ? h : null);
        if (declaring == null) {
            super.visitFieldInsn(opcode, owner, name, desc);
            return;
        }
        PatchShape.Entry entry = ctx.shape().entry(declaring);
        Integer access = entry.version().fieldAccess(name, desc);
        int volatileFlag = access != null && (access & Opcodes.ACC_VOLATILE) != 0 ? RuntimeNames.FIELD_VOLATILE : 0;
        String type = MemberAccess.fieldType(opcode, owner, desc);
        int op = switch (opcode) {
            case Opcodes.GETFIELD -> RuntimeNames.FIELD_GET;
            case Opcodes.PUTFIELD -> RuntimeNames.FIELD_PUT;
            case Opcodes.GETSTATIC -> RuntimeNames.FIELD_GET_STATIC;
            default -> RuntimeNames.FIELD_PUT_STATIC;
        };
        super.visitInvokeDynamicInsn(entry.storageName(name, desc), type, RuntimeNames.SHADOW_FIELD,
            Type.getObjectType(declaring), desc, op | volatileFlag);
    }
}
