package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * {@code super.m(...)} calls. The JVM allows {@code invokespecial} of a superclass method only from
 * the subclass itself, so the implementation class asks {@code Dispatch.superCall} for a method
 * handle that the host's own lookup makes with {@code findSpecial}.
 */
final class SuperCalls extends MethodVisitor {

    private final RewriteContext ctx;

    SuperCalls(RewriteContext ctx, MethodVisitor next) {
        super(Opcodes.ASM9, next);
        this.ctx = ctx;
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
        if (opcode == Opcodes.INVOKESPECIAL && !owner.equals(ctx.host()) && !"<init>".equals(name)) {
            String type = ImplNames.descriptor(ctx.host(), desc, false);
            super.visitInvokeDynamicInsn(name, type, RuntimeNames.SUPER_CALL, Type.getObjectType(owner),
                desc, itf ? RuntimeNames.FLAG_INTERFACE : 0);
            return;
        }
        super.visitMethodInsn(opcode, owner, name, desc, itf);
    }
}
