package io.livepatch4j.patch.rewrite;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * {@code MethodHandles.lookup()} in patched code: the code runs in the implementation class, a hidden
 * class, so the lookup it gets would have that class as its lookup class. The host's code would get
 * one on the host, with the same (full) access: {@code privateLookupIn(Host.class, lookup())} gives
 * exactly that, since the implementation class is the host's nestmate.
 */
final class HostLookup extends MethodVisitor {

    private final RewriteContext ctx;

    HostLookup(RewriteContext ctx, MethodVisitor next) {
        super(Opcodes.ASM9, next);
        this.ctx = ctx;
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
        if (opcode == Opcodes.INVOKESTATIC && "java/lang/invoke/MethodHandles".equals(owner) && "lookup".equals(name)
            && "()Ljava/lang/invoke/MethodHandles$Lookup;".equals(desc)) {
            super.visitLdcInsn(Type.getObjectType(ctx.host()));
            super.visitMethodInsn(opcode, owner, name, desc, itf);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, owner, "privateLookupIn",
                "(Ljava/lang/Class;Ljava/lang/invoke/MethodHandles$Lookup;)Ljava/lang/invoke/MethodHandles$Lookup;", false);
            return;
        }
        super.visitMethodInsn(opcode, owner, name, desc, itf);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        super.visitMaxs(maxStack + 1, maxLocals); // the host's Class beside the lookup
    }
}
