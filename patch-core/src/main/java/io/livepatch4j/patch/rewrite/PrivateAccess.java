package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Private members of a class other than the host, reached by patched code or by a class the patch
 * adds (a new nested class reading its outer class's fields, say), and package-private members of a
 * class in another package (the new build widened their access; the loaded member keeps its own). Java grants such access to
 * nestmates, but a loaded class's nest cannot grow, so {@code Dispatch.privateMember} links the
 * access through the owner's private lookup, which the agent's runtime may take.
 */
final class PrivateAccess extends MethodVisitor {

    private final RewriteContext ctx;

    PrivateAccess(RewriteContext ctx, MethodVisitor next) {
        super(Opcodes.ASM9, next);
        this.ctx = ctx;
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String desc) {
        if (elsewhere(owner, name, desc, true)) {
            String type = MemberAccess.fieldType(opcode, owner, desc);
            super.visitInvokeDynamicInsn(name, type, RuntimeNames.PRIVATE_MEMBER, Type.getObjectType(owner), desc, opcode);
            return;
        }
        super.visitFieldInsn(opcode, owner, name, desc);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
        if (opcode != Opcodes.INVOKESPECIAL && !"<init>".equals(name) && elsewhere(owner, name, desc, false)) {
            String type = MemberAccess.methodType(opcode, owner, desc);
            super.visitInvokeDynamicInsn(name, type, RuntimeNames.PRIVATE_MEMBER, Type.getObjectType(owner), desc, opcode);
            return;
        }
        super.visitMethodInsn(opcode, owner, name, desc, itf);
    }

    private boolean elsewhere(String owner, String name, String desc, boolean field) {
        if (owner.equals(ctx.host()) || ctx.resolver() == null || owner.startsWith("[")) {
            return false;
        }
        MemberResolver.Resolved r = ctx.resolver().resolve(owner, name, desc, field);
        if (r == null || r.declaringClass().equals(ctx.host())) {
            return false;
        }
        boolean packagePrivate = (r.access() & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED | Opcodes.ACC_PRIVATE)) == 0;
        // Package-private in another package: the new build made it wider, the loaded member is not.
        return (r.access() & Opcodes.ACC_PRIVATE) != 0
            || packagePrivate && !packageOf(r.declaringClass()).equals(packageOf(ctx.host()));
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }
}
