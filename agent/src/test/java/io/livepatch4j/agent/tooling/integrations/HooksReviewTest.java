package io.livepatch4j.agent.tooling.integrations;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Review 15: the plain-ASM weaver (Hooks) against old class files, a misconfigured unitOfWork, and
 * the placement of the exit call relative to the method's own exception handlers.
 */
class HooksReviewTest {

    /** Hooks that record. */
    public static final class Rec {
        public static final List<String> EVENTS = new ArrayList<>();
        static boolean throwOnce;

        public static void enter() {
            EVENTS.add("enter");
        }

        public static void exit() {
            EVENTS.add("exit");
            if (throwOnce) {
                throwOnce = false;
                throw new IllegalStateException("hook");
            }
        }
    }

    /** A handler whose try covers its return (javac's shape for {@code try { return f(); } catch (...)}). */
    public static class Catching {
        public static final List<String> EVENTS = Rec.EVENTS;

        public static int work(int x) {
            try {
                return Integer.parseInt("" + x);
            } catch (RuntimeException e) {
                EVENTS.add("app caught " + e.getMessage());
                return -1;
            }
        }
    }

    private static final String REC = Rec.class.getName().replace('.', '/');

    @BeforeEach
    void clear() {
        Rec.EVENTS.clear();
        Rec.throwOnce = false;
    }

    /** unitOfWork= on our recorder instead of ServerHooks. */
    private static Hooks.ClassHooks unit(String className, String method) {
        Hooks.ClassHooks h = Integrations.configured(className, method);
        List<Hooks.MethodHook> methods = new ArrayList<>();
        for (Hooks.MethodHook m : h.methods()) {
            methods.add(new Hooks.MethodHook(m.method(), m.takes(), new Hooks.Call(REC, "enter", "()V"),
                new Hooks.Call(REC, "exit", "()V"), m.exitOnThrow()));
        }
        return new Hooks.ClassHooks(h.name(), h.prefix(), h.except(), methods, h.swaps());
    }

    /**
     * A library compiled for Java 1.4 or 5 (javac then put {@code finally} in a jsr/ret subroutine):
     * unitOfWork=old.Lib#work. ASM's COMPUTE_FRAMES refuses JSR, so the class is not woven at all
     * ("could not instrument", per-call-stack fallback), although the project has FrameUpgrade's
     * JSRInlinerAdapter for exactly such class files. Fails today with IllegalArgumentException.
     */
    @Test
    void anOldClassFileWithASubroutineGetsItsUnitOfWork() throws Exception {
        byte[] woven = Hooks.weave(oldClass(Opcodes.V1_4), List.of(unit("rv15/Old", "work")), getClass().getClassLoader());
        assertNotNull(woven);
        Object r = define("rv15.Old", woven).getMethod("work", int.class).invoke(null, 41);
        assertEquals(42, r);
        assertEquals(List.of("enter", "finally", "exit"), Rec.EVENTS);
    }

    /**
     * unitOfWork=Cls#&lt;init&gt;: refused when the hook is declared (and when the options are read,
     * AgentOptionsTest), never at weaving time, where it would drop every other hook of its class
     * (unitOfWork=Cls#handle, or an integration's hooks on the same class).
     */
    @Test
    void aConstructorUnitIsRefusedWhenDeclaredAndTheOtherHooksOfItsClassStay() throws Exception {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> Integrations.configured("rv15/Old", "<init>"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("constructor"), e.getMessage());
        byte[] woven = Hooks.weave(oldClass(Opcodes.V1_8), List.of(unit("rv15/Old", "work")), getClass().getClassLoader());
        assertNotNull(woven, "work lost its unit");
    }

    /**
     * The exit call woven before each return lies inside the catch-all range the weaver adds for
     * exitOnThrow ([start, end) spans the whole body, inserted exit calls included): whatever is thrown
     * at or by that exit call (an Error inside a hook's own catch, a StackOverflowError or
     * NoClassDefFoundError at the invokestatic) lands in the catch-all, which calls exit a second time.
     * Byte Buddy's suppressed exit advice ran once, outside the range. Today: [enter, exit, exit].
     */
    @Test
    void theExitCallIsNotCoveredByItsOwnCatchAll() throws Exception {
        String name = Catching.class.getName().replace('.', '/');
        byte[] woven = Hooks.weave(classFile(name), List.of(unit(name, "work")), getClass().getClassLoader());
        Rec.throwOnce = true;
        try {
            define(Catching.class.getName(), woven).getMethod("work", int.class).invoke(null, 7);
        } catch (java.lang.reflect.InvocationTargetException expected) {
            // the hook's own exception may go on; what matters is that the app does not see it
        }
        assertEquals(List.of("enter", "exit"), Rec.EVENTS, "the exit call ran twice");
    }

    /** A handler interface, as a user would name it: unitOfWork=...HooksReviewTest$Handler#handle. */
    public interface Handler {
        String handle(String request);
    }

    /**
     * unitOfWork= naming an interface's (or an abstract class's, or a native) method, or one the
     * class does not have: nothing can be woven there, and the agent says so (GatedTransformer reports
     * what Hooks.unmatched finds, for the option's hooks) instead of passing it over in silence.
     */
    @Test
    void aUnitOfWorkOnAMethodWithoutCodeIsReported() throws Exception {
        String name = Handler.class.getName().replace('.', '/');
        assertEquals(List.of("handle"), Hooks.unmatched(classFile(name), unit(name, "handle")));
        assertEquals(List.of("absent"), Hooks.unmatched(oldClass(Opcodes.V1_8), unit("rv15/Old", "absent")));
        assertEquals(List.of(), Hooks.unmatched(oldClass(Opcodes.V1_8), unit("rv15/Old", "work")));
    }

    private static byte[] classFile(String internal) throws IOException {
        try (InputStream in = HooksReviewTest.class.getClassLoader().getResourceAsStream(internal + ".class")) {
            return in.readAllBytes();
        }
    }

    private static Class<?> define(String name, byte[] bytes) {
        return new ClassLoader(HooksReviewTest.class.getClassLoader()) {
            Class<?> define() {
                return defineClass(name, bytes, 0, bytes.length);
            }
        }.define();
    }

    /** {@code public static int work(int x) { try { return x + 1; } finally { EVENTS.add("finally"); } }}, javac 1.4 style (jsr/ret) below version 50. */
    static byte[] oldClass(int version) {
        boolean jsr = version < Opcodes.V1_6;
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(version, Opcodes.ACC_PUBLIC, "rv15/Old", null, "java/lang/Object", null);
        MethodVisitor c = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        c.visitCode();
        c.visitVarInsn(Opcodes.ALOAD, 0);
        c.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        c.visitInsn(Opcodes.RETURN);
        c.visitMaxs(0, 0);
        c.visitEnd();
        MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "work", "(I)I", null, null);
        m.visitCode();
        Label start = new Label();
        Label end = new Label();
        Label handler = new Label();
        Label sub = new Label();
        m.visitLabel(start);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitInsn(Opcodes.ICONST_1);
        m.visitInsn(Opcodes.IADD);
        m.visitVarInsn(Opcodes.ISTORE, 1);
        m.visitLabel(end);
        finallyBody(m, jsr, sub);
        m.visitVarInsn(Opcodes.ILOAD, 1);
        m.visitInsn(Opcodes.IRETURN);
        m.visitLabel(handler);
        m.visitVarInsn(Opcodes.ASTORE, 2);
        finallyBody(m, jsr, sub);
        m.visitVarInsn(Opcodes.ALOAD, 2);
        m.visitInsn(Opcodes.ATHROW);
        if (jsr) {
            m.visitLabel(sub);
            m.visitVarInsn(Opcodes.ASTORE, 3);
            record(m);
            m.visitVarInsn(Opcodes.RET, 3);
        }
        m.visitTryCatchBlock(start, end, handler, null);
        m.visitMaxs(0, 0);
        m.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static void finallyBody(MethodVisitor m, boolean jsr, Label sub) {
        if (jsr) {
            m.visitJumpInsn(Opcodes.JSR, sub);
        } else {
            record(m);
        }
    }

    private static void record(MethodVisitor m) {
        m.visitFieldInsn(Opcodes.GETSTATIC, REC, "EVENTS", "Ljava/util/List;");
        m.visitLdcInsn("finally");
        m.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/util/List", "add", "(Ljava/lang/Object;)Z", true);
        m.visitInsn(Opcodes.POP);
    }
}
