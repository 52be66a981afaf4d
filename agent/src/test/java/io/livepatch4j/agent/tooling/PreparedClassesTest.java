package io.livepatch4j.agent.tooling;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The constructor call variants a class gets as it is defined (PreparedClasses.expect, issue 17): a
 * class defined from the expected bytes holds them, and they count as its own only where the code
 * computed for the loaded class is the same; a class defined from other bytes gets none.
 */
class PreparedClassesTest {

    private static final String DESC = "(Ljava/lang/String;)V";

    /** {@code class name { name(String s) { super(); } }} */
    private static byte[] classBytes(String name) {
        ClassNode c = new ClassNode();
        c.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, "java/lang/Object", null);
        MethodNode init = new MethodNode(Opcodes.ACC_PUBLIC, "<init>", DESC, null, null);
        init.instructions.add(new VarInsnNode(Opcodes.ALOAD, 0));
        init.instructions.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false));
        init.instructions.add(new InsnNode(Opcodes.RETURN));
        c.methods.add(init);
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        c.accept(w);
        return w.toByteArray();
    }

    /** A variant of the call: {@code ldc text; pop; aload 0; invokespecial Object.<init>}. */
    private static MethodNode prefix(String text) {
        MethodNode m = new MethodNode(Opcodes.ACC_PUBLIC, "<init>", DESC, null, null);
        m.instructions.add(new LdcInsnNode(text));
        m.instructions.add(new InsnNode(Opcodes.POP));
        m.instructions.add(new VarInsnNode(Opcodes.ALOAD, 0));
        m.instructions.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false));
        m.maxStack = 1;
        m.maxLocals = 2;
        return m;
    }

    /** Defines classes from given bytes, as the JVM would after the transformer. */
    private static final class Definer extends ClassLoader {
        Definer() {
            super(PreparedClassesTest.class.getClassLoader());
        }

        Class<?> define(String internalName, byte[] bytes) {
            return defineClass(internalName.replace('/', '.'), bytes, 0, bytes.length);
        }
    }

    private static boolean switchesOnPrefix(byte[] bytes) {
        ClassNode c = new ClassNode();
        new ClassReader(bytes).accept(c, 0);
        for (MethodNode m : c.methods) {
            for (AbstractInsnNode i : m.instructions) {
                if (i instanceof InvokeDynamicInsnNode indy && indy.name.equals("lp4j$prefix")) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void aClassDefinedFromTheExpectedBytesHoldsTheVariantUntilTheLoadedClassesCodeDiffers() throws Exception {
        PreparedClasses prepared = new PreparedClasses(List.of("lp4jtest/"));
        Definer definer = new Definer();
        String same = "lp4jtest/Same";
        String differs = "lp4jtest/Differs";
        String other = "lp4jtest/Other";
        prepared.expect(same, classBytes(same), Map.of(DESC, prefix("v2")), Map.of(DESC, "fp"));
        prepared.expect(differs, classBytes(differs), Map.of(DESC, prefix("guess")), Map.of(DESC, "fp"));
        prepared.expect(other, classBytes("lp4jtest/Elsewhere"), Map.of(DESC, prefix("v2")), Map.of(DESC, "fp"));
        prepared.expect("lp4jtest/Later", classBytes("lp4jtest/Later"), Map.of(DESC, prefix("v2")), Map.of(DESC, "fp"));

        Class<?>[] types = new Class<?>[3];
        String[] names = {same, differs, other};
        for (int i = 0; i < names.length; i++) {
            byte[] out = prepared.transform(null, definer, names[i], null, null, classBytes(names[i]));
            assertNotNull(out, names[i] + " is prepared");
            assertEquals(i < 2, switchesOnPrefix(out), names[i] + ": the variant is in its constructor only if the "
                + "class is defined from the bytes it was computed from");
            types[i] = definer.define(names[i], out);
            types[i].getDeclaredConstructors(); // links it: the verifier accepts the spliced constructor
        }
        prepared.forgetExpected();

        Set<Class<?>> retransform = new HashSet<>();
        assertEquals(1, prepared.prefixVariants(types[0], DESC), "the class holds the variant it was defined with");
        assertEquals(1, prepared.prefixVariant(types[0], DESC, "fp", prefix("v2"), retransform));
        assertTrue(retransform.isEmpty(), "the same code: kept, nothing to retransform");
        assertEquals(1, prepared.prefixVariant(types[0], DESC, "fp", prefix("v2"), retransform), "confirmed once");

        assertEquals(2, prepared.prefixVariant(types[1], DESC, "fp", prefix("v2"), retransform),
            "other code: a new variant, after the one the class holds (never chosen)");
        assertEquals(Set.of(types[1]), retransform, "the class is retransformed to get it");
        assertEquals(2, prepared.prefixVariant(types[1], DESC, "fp", prefix("v2"), new HashSet<>()),
            "the set-aside variant is never found again");

        assertEquals(0, prepared.prefixVariants(types[2], DESC), "defined from other bytes: no variant");
        assertFalse(switchesOnPrefix(prepared.transform(null, definer, "lp4jtest/Later", null, null,
            classBytes("lp4jtest/Later"))), "defined after the patch's loading: no variant");
    }
}
