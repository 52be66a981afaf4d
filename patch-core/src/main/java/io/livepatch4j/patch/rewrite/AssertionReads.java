package io.livepatch4j.patch.rewrite;

import io.livepatch4j.patch.diff.AssertionSwitch;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Reads of javac's assertion switch where the patch added it (the first {@code assert} of a class,
 * see {@link AssertionSwitch}): the loaded class has no such field and never runs the initializer
 * that sets it, so the read becomes what that initializer computes,
 * {@code !Outermost.class.desiredAssertionStatus()}. javac asks the outermost class, so a nested
 * class follows its top-level class's {@code -ea:} setting.
 */
final class AssertionReads extends MethodVisitor {

    private final RewriteContext ctx;
    private final String statusClass;

    /** @param statusClass the class javac's switch asks (see {@link AssertionSwitch#statusClass}), or null */
    AssertionReads(RewriteContext ctx, String statusClass, MethodVisitor next) {
        super(Opcodes.ASM9, next);
        this.ctx = ctx;
        this.statusClass = statusClass;
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String desc) {
        if (opcode == Opcodes.GETSTATIC && AssertionSwitch.FIELD.equals(name) && "Z".equals(desc)
            && ctx.shape().isAddedField(owner, name, desc)) {
            super.visitLdcInsn(Type.getObjectType(statusClass != null && owner.equals(ctx.host()) ? statusClass : owner));
            super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/Class", "desiredAssertionStatus", "()Z", false);
            super.visitInsn(Opcodes.ICONST_1);
            super.visitInsn(Opcodes.IXOR);
            return;
        }
        super.visitFieldInsn(opcode, owner, name, desc);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        super.visitMaxs(maxStack + 1, maxLocals); // the LDC and the ICONST_1 need one slot more than the GETSTATIC
    }

}
