package io.livepatch4j.patch.rewrite;

import io.livepatch4j.patch.Javac;
import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.ClassShape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.SimpleRemapper;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The switch over a constructor's super(...) variants, run by the JVM itself: the rewritten class is
 * defined (so the JVM's verifier checks its stack map frames, which ASM's analyzer does not) with the
 * agent's bootstrap methods replaced by {@link Boot}, which says which variant runs and records each
 * dispatch to a version's body.
 */
public class ConstructorPrefixesTest {

    private static final String HOST = "p/C";

    @AfterEach
    void reset() {
        Boot.variant = 0;
        Boot.bodies.clear();
    }

    /**
     * guava 31.1's Ordering$IncomparableValueException: the loaded constructor keeps a temporary in a
     * local across its super(...) call (javac never does; other compilers do). A variant that jumped
     * back into the loaded code after the call failed verification: the local has no value on its path.
     */
    @Test
    void aVariantVerifiesWhereTheLoadedCallLeavesATemporaryInALocal() throws Exception {
        Class<?> c = define(rewrite(loadedWithTemporary(), newVersion()));
        Boot.variant = 1;
        RuntimeException made = (RuntimeException) c.getConstructor(Object.class).newInstance("abc");
        assertEquals("ABC", made.getMessage(), "the variant's super(...) call ran");
    }

    /** After a variant's call the version's body runs (its dispatch), never the loaded code after the loaded call. */
    @Test
    void aVariantRunsItsVersionsBodyNotTheLoadedCodeAfterTheCall() throws Exception {
        Class<?> c = define(rewrite(loadedWithTemporary(), newVersion()));
        Boot.variant = 1;
        Object made = c.getConstructor(Object.class).newInstance("abc");
        assertEquals(1, Boot.bodies.size(), "one dispatch to the version's body");
        assertSame(made, Boot.bodies.get(0)[0]);
        assertEquals("abc", Boot.bodies.get(0)[1]);
        assertNull(c.getField("value").get(made), "the loaded code after the loaded call did not run");
    }

    /** Variant 0 is the loaded call, followed by the prologue's dispatch as before. */
    @Test
    void theLoadedCallStillRunsForGenerationsWithoutAVariant() throws Exception {
        Class<?> c = define(rewrite(loadedWithTemporary(), newVersion()));
        RuntimeException made = (RuntimeException) c.getConstructor(Object.class).newInstance("abc");
        assertEquals("abc", made.getMessage());
        assertEquals(1, Boot.bodies.size(), "the prologue after the loaded call dispatched");
    }

    @Test
    void aVariantStartingAtALoopsHeadVerifies() throws Exception {
        Class<?> c = define(rewrite(intConstructor(false), intConstructor(true)));
        Boot.variant = 1;
        Boot.bodies.clear();
        c.getConstructor(int.class).newInstance(9);
        assertEquals(1, Boot.bodies.size(), "the variant ran and went to its version's body");
    }

    /**
     * {@code C(int k) { super("k"); }}, or with {@code loop}: {@code C(int k) { do { k -= 2; } while (k > 5);
     * super("k" ...); }}, whose code starts at the loop's head, with a frame there (JDK 22's constructor
     * bodies with statements before their call).
     */
    private static byte[] intConstructor(boolean loop) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, HOST, null, "java/lang/RuntimeException", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(I)V", null, null);
        mv.visitCode();
        if (loop) {
            org.objectweb.asm.Label head = new org.objectweb.asm.Label();
            mv.visitLabel(head);
            mv.visitIincInsn(1, -2);
            mv.visitVarInsn(Opcodes.ILOAD, 1);
            mv.visitInsn(Opcodes.ICONST_5);
            mv.visitJumpInsn(Opcodes.IF_ICMPGT, head);
        }
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitLdcInsn(loop ? "looped" : "k");
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/RuntimeException", "<init>", "(Ljava/lang/String;)V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** {@code C(Object value) { String s = String.valueOf(value); super(s); this.value = value; }}, in straight-line code. */
    private static byte[] loadedWithTemporary() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, HOST, null, "java/lang/RuntimeException", null);
        cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, "value", "Ljava/lang/Object;", null, null).visitEnd();
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(Ljava/lang/Object;)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/String", "valueOf", "(Ljava/lang/Object;)Ljava/lang/String;", false);
        mv.visitVarInsn(Opcodes.ASTORE, 2);
        mv.visitVarInsn(Opcodes.ALOAD, 2);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/RuntimeException", "<init>", "(Ljava/lang/String;)V", false);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitFieldInsn(Opcodes.PUTFIELD, HOST, "value", "Ljava/lang/Object;");
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static byte[] newVersion() {
        return Javac.compile("p.C", "package p; public class C extends RuntimeException { public final Object value;"
            + " public C(Object value) { super(String.valueOf(value).toUpperCase()); this.value = value; } }");
    }

    /** What the agent does for a version whose constructor call changed: the variant, spliced into the loaded class. */
    private static byte[] rewrite(byte[] loaded, byte[] version) {
        ClassNode host = ClassDiff.read(loaded);
        ClassNode v = ClassDiff.read(version);
        PatchShape shape = new PatchShape(Map.of(HOST, new PatchShape.Entry(ClassShape.of(host), ClassShape.of(v))), Map.of());
        MethodNode ctor = v.methods.stream().filter(m -> "<init>".equals(m.name)).findFirst().orElseThrow();
        MethodNode variant = ConstructorPrefixes.prefixOf(HOST, ctor, new RewriteContext(HOST, null, false, shape));
        return PrologueWriter.addPrologues(loaded, false, null, desc -> desc.equals(ctor.desc) ? List.of(variant) : List.of())
            .bytes();
    }

    /** Defines the class with its bootstrap methods in {@link Boot}; initializing it makes the JVM verify it. */
    private static Class<?> define(byte[] bytes) throws ClassNotFoundException {
        ClassWriter cw = new ClassWriter(0);
        new ClassReader(bytes).accept(new ClassRemapper(cw,
            new SimpleRemapper(RuntimeNames.DISPATCH, Boot.class.getName().replace('.', '/'))), 0);
        byte[] remapped = cw.toByteArray();
        ClassLoader loader = new ClassLoader(ConstructorPrefixesTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (!name.equals("p.C")) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, remapped, 0, remapped.length);
            }
        };
        return Class.forName("p.C", true, loader);
    }

    /** Stands in for the agent's Dispatch: the class is patched, {@link #variant} runs, bodies are recorded. */
    public static final class Boot {

        static volatile int variant;
        static final List<Object[]> bodies = new CopyOnWriteArrayList<>();

        private Boot() {}

        public static CallSite guard(MethodHandles.Lookup caller, String name, MethodType type) {
            return new ConstantCallSite(MethodHandles.constant(boolean.class, true));
        }

        public static CallSite constructorPrefix(MethodHandles.Lookup caller, String name, MethodType type, String desc)
            throws ReflectiveOperationException {
            return new ConstantCallSite(MethodHandles.lookup().findStatic(Boot.class, "variant", MethodType.methodType(int.class)));
        }

        public static CallSite method(MethodHandles.Lookup caller, String name, MethodType type, String original,
                                      String desc, int flags) throws ReflectiveOperationException {
            return new ConstantCallSite(MethodHandles.lookup()
                .findStatic(Boot.class, "body", MethodType.methodType(void.class, Object[].class))
                .asCollector(Object[].class, type.parameterCount()).asType(type));
        }

        static int variant() {
            return variant;
        }

        static void body(Object[] args) {
            bodies.add(args);
        }
    }
}
