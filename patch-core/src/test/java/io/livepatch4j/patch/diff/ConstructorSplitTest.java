package io.livepatch4j.patch.diff;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stores into the class's own fields that open a constructor, before super(...): javac 17 and
 * later javacs emit an inner class's {@code this$0} and captured {@code val$x} in other orders.
 */
class ConstructorSplitTest {

    /** Class p/C$1 with String fields a and b, whose constructor (String, String) stores, in order, each pair (field, parameter slot). */
    private static byte[] inner(Object... fieldAndSlot) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        cw.visit(Opcodes.V17, Opcodes.ACC_SUPER, "p/C$1", null, "java/lang/Object", null);
        cw.visitField(Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC, "a", "Ljava/lang/String;", null, null).visitEnd();
        cw.visitField(Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC, "b", "Ljava/lang/String;", null, null).visitEnd();
        MethodVisitor mv = cw.visitMethod(0, "<init>", "(Ljava/lang/String;Ljava/lang/String;)V", null, null);
        mv.visitCode();
        for (int i = 0; i < fieldAndSlot.length; i += 2) {
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitVarInsn(Opcodes.ALOAD, (Integer) fieldAndSlot[i + 1]);
            mv.visitFieldInsn(Opcodes.PUTFIELD, "p/C$1", (String) fieldAndSlot[i], "Ljava/lang/String;");
        }
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    @Test
    void reorderedStoresOfParametersBeforeTheSuperCallAreNoChange() {
        ClassDiff.Result r = ClassDiff.compare(inner("a", 1, "b", 2), inner("b", 2, "a", 1));
        assertTrue(r.unchanged(), r.toString());
    }

    @Test
    void storingAnotherParameterIsAChangedCall() {
        ClassDiff.Result r = ClassDiff.compare(inner("a", 1, "b", 2), inner("a", 2, "b", 1));
        assertFalse(r.unchanged(), r.toString());
        assertTrue(r.changes().stream().anyMatch(c -> c.note().contains("call changed")), r.toString());
    }

    @Test
    void twoStoresIntoOneFieldKeepTheirOrder() {
        ClassDiff.Result r = ClassDiff.compare(inner("a", 1, "a", 2), inner("a", 2, "a", 1));
        assertTrue(r.changes().stream().anyMatch(c -> c.note().contains("call changed")), r.toString());
    }

    @Test
    void anAddedStoreIsAChangedCall() {
        ClassDiff.Result r = ClassDiff.compare(inner("a", 1), inner("b", 2, "a", 1));
        assertTrue(r.changes().stream().anyMatch(c -> c.note().contains("call changed")), r.toString());
    }
}
