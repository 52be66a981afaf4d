package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.diff.ClassShape;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * VerifierLoads counts the classes the JVM's verifier may load for a constructor call variant: both
 * classes of a check between two different class names, a declared frame's values, a thrown value;
 * not the class of a value called on with its own type.
 */
class VerifierLoadsTest {

    private static final String HOST = "t/Thing";
    private static final String BASE = "t/Base";
    private final Map<String, ClassShape> files = new HashMap<>();

    VerifierLoadsTest() {
        file(BASE, "java/lang/Object", false);
        file(HOST, BASE, false);
        file("t/Node", "java/lang/Object", false);
        file("t/Shape", "java/lang/Object", false);
        file("t/Opt", "t/Shape", false);
        file("t/Named", "java/lang/Object", true);
        file("t/Oops", "java/lang/RuntimeException", false);
        file("java/lang/Object", null, false);
        file("java/lang/String", "java/lang/Object", false);
        file("java/lang/Throwable", "java/lang/Object", false);
        file("java/lang/Exception", "java/lang/Throwable", false);
        file("java/lang/RuntimeException", "java/lang/Exception", false);
    }

    private void file(String name, String superName, boolean isInterface) {
        ClassWriter w = new ClassWriter(0);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | (isInterface ? Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT : 0), name,
            null, superName, null);
        w.visitEnd();
        files.put(name, ClassShape.of(w.toByteArray()));
    }

    /** A variant of {@code Thing(desc)}: {@code insns...}, then {@code Base.<init>(baseDesc)}. */
    private Set<String> loads(String desc, String baseDesc, Object... insns) throws Exception {
        MethodNode m = new MethodNode(Opcodes.ACC_PUBLIC, "<init>", desc, null, null);
        for (Object i : insns) {
            m.instructions.add((org.objectweb.asm.tree.AbstractInsnNode) i);
        }
        m.instructions.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, BASE, "<init>", baseDesc, false));
        m.maxStack = 4;
        m.maxLocals = 4;
        return VerifierLoads.of(HOST, BASE, m, files::get);
    }

    @Test
    void aCallOnAValueOfItsOwnTypeLoadsNothing() throws Exception {
        Set<String> loads = loads("(Lt/Node;)V", "(Ljava/lang/String;)V", new VarInsnNode(Opcodes.ALOAD, 0),
            new VarInsnNode(Opcodes.ALOAD, 1),
            new MethodInsnNode(Opcodes.INVOKEVIRTUAL, "t/Node", "name", "()Ljava/lang/String;", false));
        assertFalse(loads.contains("t/Node"), loads.toString());
    }

    @Test
    void aValuePassedWhereAnotherClassIsDeclaredLoadsBoth() throws Exception {
        Set<String> loads = loads("()V", "(Lt/Shape;)V", new VarInsnNode(Opcodes.ALOAD, 0),
            new MethodInsnNode(Opcodes.INVOKESTATIC, "t/Opt", "make", "()Lt/Opt;", false));
        assertTrue(loads.containsAll(Set.of("t/Shape", "t/Opt")), loads.toString());
    }

    @Test
    void aValuePassedWhereAnInterfaceIsDeclaredLoadsTheInterfaceOnly() throws Exception {
        Set<String> loads = loads("()V", "(Lt/Named;)V", new VarInsnNode(Opcodes.ALOAD, 0),
            new MethodInsnNode(Opcodes.INVOKESTATIC, "t/Opt", "make", "()Lt/Opt;", false));
        assertTrue(loads.contains("t/Named") && !loads.contains("t/Opt"), loads.toString());
    }

    @Test
    void aValueWhereAFrameIsDeclaredCounts() throws Exception {
        LabelNode join = new LabelNode();
        Object[] locals = {Opcodes.UNINITIALIZED_THIS, "t/Shape"};
        Set<String> loads = loads("()V", "()V",
            new MethodInsnNode(Opcodes.INVOKESTATIC, "t/Opt", "make", "()Lt/Opt;", false),
            new VarInsnNode(Opcodes.ASTORE, 1),
            new JumpInsnNode(Opcodes.GOTO, join),
            join,
            new FrameNode(Opcodes.F_NEW, 2, locals, 0, new Object[0]),
            new VarInsnNode(Opcodes.ALOAD, 0));
        assertTrue(loads.contains("t/Opt"), "the value held where the frame declares t/Shape: " + loads);
    }

    @Test
    void aThrownValueCountsAgainstThrowable() throws Exception {
        Set<String> loads = loads("()V", "()V", new TypeInsnNode(Opcodes.NEW, "t/Oops"), new InsnNode(Opcodes.DUP),
            new MethodInsnNode(Opcodes.INVOKESPECIAL, "t/Oops", "<init>", "()V", false), new InsnNode(Opcodes.ATHROW),
            new VarInsnNode(Opcodes.ALOAD, 0));
        assertTrue(loads.contains("t/Oops"), loads.toString());
    }

    @Test
    void aParameterTheVariantStoresAnotherClassInCountsAtTheBody() throws Exception {
        Set<String> loads = loads("(Lt/Shape;)V", "()V",
            new MethodInsnNode(Opcodes.INVOKESTATIC, "t/Opt", "make", "()Lt/Opt;", false),
            new VarInsnNode(Opcodes.ASTORE, 1),
            new VarInsnNode(Opcodes.ALOAD, 0));
        assertTrue(loads.containsAll(Set.of("t/Opt", "t/Shape")), "the body takes the parameter as a t/Shape: " + loads);
    }

    @Test
    void theObjectUsedBeforeItsCallEndsTheAnalysis() {
        // a field the patch adds, set before the call: the rewriting makes it a call that takes the object
        Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
            () -> loads("()V", "()V", new VarInsnNode(Opcodes.ALOAD, 0),
                new MethodInsnNode(Opcodes.INVOKESTATIC, "t/Node", "store", "(Lt/Thing;)V", false),
                new VarInsnNode(Opcodes.ALOAD, 0)));
        Throwable cause = refused.getCause() != null ? refused.getCause() : refused;
        assertTrue(cause.getMessage().contains("before its super"), String.valueOf(cause));
    }
}
