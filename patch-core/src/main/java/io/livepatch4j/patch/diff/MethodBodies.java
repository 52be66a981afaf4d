package io.livepatch4j.patch.diff;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

/**
 * Compares method bodies by their instructions, ignoring what only debug information changes
 * (line numbers, local variable names, stack map frames). Constant pool indices differ between two
 * compilations of the same method, so raw bytes cannot be compared; the textual form can.
 */
public final class MethodBodies {

    private MethodBodies() {}

    public static boolean sameCode(MethodNode a, MethodNode b) {
        return fingerprint(a).equals(fingerprint(b));
    }

    /** The method's instructions and exception handlers as text, without debug information. */
    public static String fingerprint(MethodNode method) {
        Textifier text = new Textifier();
        method.accept(new WithoutDebugInfo(new TraceMethodVisitor(text)));
        StringBuilder sb = new StringBuilder();
        for (Object line : text.getText()) {
            sb.append(line);
        }
        return sb.toString();
    }

    private static final class WithoutDebugInfo extends MethodVisitor {
        WithoutDebugInfo(MethodVisitor mv) {
            super(Opcodes.ASM9, mv);
        }

        @Override
        public void visitLineNumber(int line, Label start) {
        }

        @Override
        public void visitLocalVariable(String name, String d, String s, Label start, Label end, int index) {
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
        }

        @Override
        public void visitParameter(String name, int access) {
        }
    }
}
