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
            this(PreparedClassesTest.class.getClassLoader());
        }

        Definer(ClassLoader parent) {
            super(parent);
        }

        Class<?> define(String internalName, byte[] bytes) {
            return defineClass(internalName.replace('/', '.'), bytes, 0, bytes.length);
        }
    }

    private static boolean switchesOnPrefix(byte[] bytes) {
        return hasIndy(bytes, indy -> indy.name.equals("lp4j$prefix"));
    }

    /** Whether a method of the class holds an invokedynamic that {@code which} accepts. */
    private static boolean hasIndy(byte[] bytes, java.util.function.Predicate<InvokeDynamicInsnNode> which) {
        ClassNode c = new ClassNode();
        new ClassReader(bytes).accept(c, 0);
        for (MethodNode m : c.methods) {
            for (AbstractInsnNode i : m.instructions) {
                if (i instanceof InvokeDynamicInsnNode indy && which.test(indy)) {
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
        prepared.expect(same, classBytes(same), definer, Map.of(DESC, prefix("v2")), Map.of(DESC, "fp"));
        prepared.expect(differs, classBytes(differs), definer, Map.of(DESC, prefix("guess")),
            Map.of(DESC, "fp"));
        prepared.expect(other, classBytes("lp4jtest/Elsewhere"), definer, Map.of(DESC, prefix("v2")),
            Map.of(DESC, "fp"));
        prepared.expect("lp4jtest/Later", classBytes("lp4jtest/Later"), definer, Map.of(DESC, prefix("v2")),
            Map.of(DESC, "fp"));

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

    @Test
    void onlyTheLoaderItWasComputedForOrAParentOfItGetsTheVariant() {
        PreparedClasses prepared = new PreparedClasses(List.of("lp4jtest/"));
        Definer parent = new Definer();
        Definer child = new Definer(parent);
        Definer sibling = new Definer(parent);
        String name = "lp4jtest/Shared";
        prepared.expect(name, classBytes(name), child, Map.of(DESC, prefix("v2")), Map.of(DESC, "fp"));
        assertFalse(switchesOnPrefix(prepared.transform(null, sibling, name, null, null, classBytes(name))),
            "another application's loader over the same class file: no variant");
        assertTrue(switchesOnPrefix(prepared.transform(null, parent, name, null, null, classBytes(name))),
            "the parent the loader delegates to defines it: the variant");
        assertTrue(switchesOnPrefix(prepared.transform(null, child, name, null, null, classBytes(name))),
            "the loader itself: the variant");
    }

    /** {@code prefix("v2")} grown past the JVM's 64 KB of code in one method. */
    private static MethodNode tooLarge() {
        MethodNode huge = prefix("v2");
        for (int i = 0; i < 22_000; i++) { // 3 bytes each
            huge.instructions.insert(new InsnNode(Opcodes.POP));
            huge.instructions.insert(new LdcInsnNode("x"));
        }
        return huge;
    }

    private static boolean hasPrologue(byte[] bytes) {
        return hasIndy(bytes, indy -> true);
    }

    /**
     * A loaded class retransformed for a patch's new call variant that does not fit: it keeps the code
     * it has (prologue and the variants it held), never the class file as loaded, and the patch can
     * tell it did not get the variant (ConstructorCalls refuses it).
     */
    @Test
    void aRetransformationWhoseVariantDoesNotFitKeepsTheCodeTheClassHas() throws Exception {
        PreparedClasses prepared = new PreparedClasses(List.of("lp4jtest/"));
        Definer definer = new Definer();
        String name = "lp4jtest/Grows";
        byte[] first = prepared.transform(null, definer, name, null, null, classBytes(name));
        assertNotNull(first);
        Class<?> type = definer.define(name, first);
        Set<Class<?>> retransform = new HashSet<>();
        assertEquals(1, prepared.prefixVariant(type, DESC, "fits", prefix("v2"), retransform));
        byte[] withOne = prepared.transform(null, definer, name, type, null, classBytes(name));
        assertTrue(switchesOnPrefix(withOne) && prepared.holds(type, DESC, 1), "a variant that fits is in its code");

        assertEquals(2, prepared.prefixVariant(type, DESC, "huge", tooLarge(), retransform));
        byte[] again = prepared.transform(null, definer, name, type, null, classBytes(name));
        assertNotNull(again, "not the class file as loaded (null), which would strip the prologue");
        assertTrue(hasPrologue(again) && switchesOnPrefix(again), "the prologue and the variant it held stay");
        assertEquals(java.util.Arrays.toString(withOne), java.util.Arrays.toString(again), "the same code as before");
        assertTrue(prepared.holds(type, DESC, 1));
        assertFalse(prepared.holds(type, DESC, 2), "the patch can tell its variant is not there");
    }

    @Test
    void aVariantThatDoesNotFitLeavesTheClassPreparedWithoutIt() throws Exception {
        PreparedClasses prepared = new PreparedClasses(List.of("lp4jtest/"));
        Definer definer = new Definer();
        String name = "lp4jtest/Huge";
        MethodNode huge = prefix("v2");
        for (int i = 0; i < 22_000; i++) { // 3 bytes each: past the JVM's 64 KB of code in one method
            huge.instructions.insert(new InsnNode(Opcodes.POP));
            huge.instructions.insert(new LdcInsnNode("x"));
        }
        prepared.expect(name, classBytes(name), definer, Map.of(DESC, huge), Map.of(DESC, "fp"));
        byte[] out = prepared.transform(null, definer, name, null, null, classBytes(name));
        assertNotNull(out, "the class still gets its prologues");
        assertFalse(switchesOnPrefix(out), "without the variant");
        Class<?> type = definer.define(name, out);
        assertTrue(prepared.isPrepared(type));
        assertEquals(0, prepared.prefixVariants(type, DESC), "no record says it holds a variant");
    }
}
