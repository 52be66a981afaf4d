package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Method handles in {@code invokedynamic} bootstrap arguments, chiefly the implementation method of
 * a lambda or method reference. A handle to a lambda body the patch added points at the static copy
 * in the implementation class; a handle to an existing private method becomes
 * {@code REF_invokeVirtual}, because {@code LambdaMetafactory} would otherwise emit an
 * {@code invokespecial} that only the host may execute. Existing lambda bodies are reached through
 * the host, so a lambda runs the generation of the thread that calls it.
 *
 * <p>In an implementation class every {@code LambdaMetafactory} call site links through
 * {@code Dispatch.lambda} instead: the JDK spins a class per linked site, and would spin one per
 * generation (on JDK 17 kept for good, JDK-8302154); {@code Dispatch.lambda} spins one per lambda
 * and routes a body the patch added through the host's dispatch site for it (see its comment).
 */
final class LambdaHandles extends MethodVisitor {

    private final RewriteContext ctx;

    LambdaHandles(RewriteContext ctx, MethodVisitor next) {
        super(Opcodes.ASM9, next);
        this.ctx = ctx;
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String desc, Handle bsm, Object... args) {
        Object[] rewritten = args.clone();
        boolean intoImpl = false;
        for (int i = 0; i < rewritten.length; i++) {
            if (rewritten[i] instanceof Handle h) {
                rewritten[i] = rewrite(h);
                intoImpl |= ctx.rewritingImpl() && ((Handle) rewritten[i]).getOwner().equals(ctx.impl());
            }
        }
        if (ctx.rewritingImpl() && isLambdaMetafactory(bsm)) {
            if ("altMetafactory".equals(bsm.getName()) && args.length > 3 && args[3] instanceof Integer flags
                && (flags & java.lang.invoke.LambdaMetafactory.FLAG_SERIALIZABLE) != 0) {
                throw new RewriteException(ctx.host().replace('/', '.') + ": the patched class makes a serializable lambda "
                    + "or method reference; one made by patched code names the patch's hidden implementation class as "
                    + "its capturing class, and serializing it fails; make the lambda not serializable, or ship the fix "
                    + "with the next release");
            }
            if (intoImpl && !"metafactory".equals(bsm.getName())) {
                throw new RewriteException(ctx.host().replace('/', '.') + ": a serializable lambda, or one with marker "
                    + "interfaces, whose body the patch adds cannot be patched in; use a plain lambda");
            }
            super.visitInvokeDynamicInsn(name, desc, RuntimeNames.LAMBDA, rewritten);
            return;
        }
        super.visitInvokeDynamicInsn(name, desc, bsm, rewritten);
    }

    private static boolean isLambdaMetafactory(Handle bsm) {
        return "java/lang/invoke/LambdaMetafactory".equals(bsm.getOwner());
    }

    private Handle rewrite(Handle h) {
        boolean isStatic = h.getTag() == Opcodes.H_INVOKESTATIC;
        if (ctx.shape().isAddedMethod(h.getOwner(), h.getName(), h.getDesc())) {
            if (!ctx.rewritingImpl() || !h.getOwner().equals(ctx.host())) {
                throw new RewriteException(h.getOwner().replace('/', '.') + "#" + h.getName() + h.getDesc()
                    + ": a method reference or lambda in " + ctx.host().replace('/', '.')
                    + " points at a method the patch adds to another class; write a lambda that calls it instead");
            }
            return new Handle(Opcodes.H_INVOKESTATIC, ctx.impl(), ImplNames.method(h.getName(), isStatic),
                ImplNames.descriptor(h.getOwner(), h.getDesc(), isStatic), false);
        }
        if (ctx.rewritingImpl() && h.getTag() == Opcodes.H_INVOKESPECIAL && h.getOwner().equals(ctx.host())) {
            int tag = ctx.hostIsInterface() ? Opcodes.H_INVOKEINTERFACE : Opcodes.H_INVOKEVIRTUAL;
            return new Handle(tag, h.getOwner(), h.getName(), h.getDesc(), ctx.hostIsInterface());
        }
        return h;
    }
}
