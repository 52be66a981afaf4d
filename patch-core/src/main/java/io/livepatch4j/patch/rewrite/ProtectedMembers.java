package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Protected members that the host inherits from a class in another package. The JVM grants the
 * access to subclasses only; the implementation class is not one, so {@code Dispatch.protectedMember}
 * links the access through the host's own lookup, which the JVM grants it. Members of the host
 * itself and of classes in its package need nothing: nestmate and package access cover them.
 */
final class ProtectedMembers extends MethodVisitor {

    private final RewriteContext ctx;

    ProtectedMembers(RewriteContext ctx, MethodVisitor next) {
        super(Opcodes.ASM9, next);
        this.ctx = ctx;
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String desc) {
        if (needsHost(owner, name, desc, true)) {
            String type = MemberAccess.fieldType(opcode, owner, desc);
            super.visitInvokeDynamicInsn(name, type, RuntimeNames.PROTECTED_MEMBER, Type.getObjectType(owner), desc, opcode);
            return;
        }
        super.visitFieldInsn(opcode, owner, name, desc);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
        if ((opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKESTATIC) && !"<init>".equals(name)
            && needsHost(owner, name, desc, false)) {
            String type = MemberAccess.methodType(opcode, owner, desc);
            super.visitInvokeDynamicInsn(name, type, RuntimeNames.PROTECTED_MEMBER, Type.getObjectType(owner), desc, opcode);
            return;
        }
        super.visitMethodInsn(opcode, owner, name, desc, itf);
    }

    private boolean needsHost(String owner, String name, String desc, boolean field) {
        if (ctx.resolver() == null || owner.startsWith("[")) {
            // An array's clone() is public (JLS 10.7), though it resolves to Object's protected clone.
            return false;
        }
        MemberResolver.Resolved r = ctx.resolver().resolve(owner, name, desc, field);
        return r != null && (r.access() & Opcodes.ACC_PROTECTED) != 0 && !r.declaringClass().equals(ctx.host())
            && !packageOf(r.declaringClass()).equals(packageOf(ctx.host()));
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }
}
