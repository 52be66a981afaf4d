package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Calls to methods a patch added. They do not exist on the loaded class, so a call to one of the
 * class's own added methods goes straight to the static copy in the same implementation class, and
 * a call to another class's added method goes through {@code Dispatch.addedMethod}, which picks the
 * calling thread's generation like any patched method. A call to an added method that subclasses
 * may override goes through {@code Dispatch.addedVirtual}, which picks the receiver class's method
 * in the calling thread's generation, as the JVM's virtual dispatch would in the new build.
 */
final class AddedMethodCalls extends MethodVisitor {

    private final RewriteContext ctx;

    AddedMethodCalls(RewriteContext ctx, MethodVisitor next) {
        super(Opcodes.ASM9, next);
        this.ctx = ctx;
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
        String declaring = "<init>".equals(name) ? null : ctx.shape().declaringAdded(owner, name, desc, false,
            ctx.resolver() instanceof ClassHierarchy h ? h : null);
        if (declaring == null) {
            super.visitMethodInsn(opcode, owner, name, desc, itf);
            return;
        }
        if (!declaring.equals(owner) && (opcode == Opcodes.INVOKESTATIC || opcode == Opcodes.INVOKESPECIAL)) {
            owner = declaring; // javac named a subclass: the call is to the ancestor's added method
        }
        boolean isStatic = opcode == Opcodes.INVOKESTATIC;
        String implDesc = ImplNames.descriptor(owner, desc, isStatic);
        if (opcode != Opcodes.INVOKESPECIAL && !isStatic && ctx.shape().entry(declaring).isOverridable(name, desc)) {
            // A subclass may override it (in the same patch, a later one, or a class the patch adds):
            // the receiver's class decides, in the calling thread's generation.
            super.visitInvokeDynamicInsn(ImplNames.method(name, false), implDesc, RuntimeNames.ADDED_VIRTUAL,
                Type.getObjectType(owner), name, desc, itf ? RuntimeNames.FLAG_INTERFACE : 0);
            return;
        }
        if (ctx.rewritingImpl() && declaring.equals(ctx.host())) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, ctx.impl(), ImplNames.method(name, isStatic), implDesc, false);
            return;
        }
        int flags = (isStatic ? RuntimeNames.FLAG_STATIC : 0) | (itf ? RuntimeNames.FLAG_INTERFACE : 0);
        super.visitInvokeDynamicInsn(ImplNames.method(name, isStatic), implDesc, RuntimeNames.ADDED_METHOD,
            Type.getObjectType(declaring), name, desc, flags);
    }
}
