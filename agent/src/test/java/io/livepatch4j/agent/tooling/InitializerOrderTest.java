package io.livepatch4j.agent.tooling;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A patch's new static initializers run in the order the JVM would initialize their classes. */
class InitializerOrderTest {

    @Test
    void aClassWhoseCodeCallsAnotherPatchedClassRunsAfterIt() {
        Map<String, byte[]> code = Map.of(
            "p/Patterns", cls("p/Patterns", m -> m.visitMethodInsn(Opcodes.INVOKESTATIC, "p/Trie", "parse", "()V", false)),
            "p/Trie", cls("p/Trie", m -> m.visitFieldInsn(Opcodes.GETSTATIC, "java/lang/System", "out", "Ljava/io/PrintStream;")),
            "p/Other", cls("p/Other", m -> { }));
        assertEquals(List.of("p/Trie", "p/Patterns", "p/Other"),
            InitializerOrder.of(List.of("p/Patterns", "p/Trie", "p/Other"), n -> n, code::get));
    }

    @Test
    void staticFieldsAndNewObjectsCountAsUsesAndAChainIsFollowed() {
        Map<String, byte[]> code = Map.of(
            "p/A", cls("p/A", m -> m.visitFieldInsn(Opcodes.GETSTATIC, "p/B", "X", "I")),
            "p/B", cls("p/B", m -> m.visitTypeInsn(Opcodes.NEW, "p/C")),
            "p/C", cls("p/C", m -> { }));
        assertEquals(List.of("p/C", "p/B", "p/A"), InitializerOrder.of(List.of("p/A", "p/B", "p/C"), n -> n, code::get));
    }

    @Test
    void classesThatUseEachOtherRunTheOneReachedFirst() {
        Map<String, byte[]> code = Map.of(
            "p/A", cls("p/A", m -> m.visitMethodInsn(Opcodes.INVOKESTATIC, "p/B", "f", "()V", false)),
            "p/B", cls("p/B", m -> m.visitMethodInsn(Opcodes.INVOKESTATIC, "p/A", "f", "()V", false)));
        assertEquals(List.of("p/B", "p/A"), InitializerOrder.of(List.of("p/A", "p/B"), n -> n, code::get));
    }

    /** A class whose static method {@code use} does what {@code body} writes (the stack is not checked here). */
    private static byte[] cls(String name, java.util.function.Consumer<MethodVisitor> body) {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "use", "()V", null, null);
        mv.visitCode();
        body.accept(mv);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(2, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
