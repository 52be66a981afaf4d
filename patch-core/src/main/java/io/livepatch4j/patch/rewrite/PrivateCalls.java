package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * {@code invokespecial} of the host's own private methods. Only the host itself may use
 * {@code invokespecial} on them; the implementation class is a nestmate, which may call a private
 * method with {@code invokevirtual}/{@code invokeinterface} (JDK 11+ nestmates). The call then goes
 * through the host method's prologue, which runs the calling thread's generation of it.
 */
final class PrivateCalls extends MethodVisitor {

    private final RewriteContext ctx;

    PrivateCalls(RewriteContext ctx, MethodVisitor next) {
        super(Opcodes.ASM9, next);
        this.ctx = ctx;
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
        if (opcode == Opcodes.INVOKESPECIAL && owner.equals(ctx.host()) && !"<init>".equals(name)) {
            int op = ctx.hostIsInterface() ? Opcodes.INVOKEINTERFACE : Opcodes.INVOKEVIRTUAL;
            super.visitMethodInsn(op, owner, name, desc, ctx.hostIsInterface());
            return;
        }
        super.visitMethodInsn(opcode, owner, name, desc, itf);
    }
}
