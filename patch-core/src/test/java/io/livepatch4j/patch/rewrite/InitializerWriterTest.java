package io.livepatch4j.patch.rewrite;

import io.livepatch4j.patch.Javac;
import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.ClassShape;
import io.livepatch4j.patch.diff.StaticInitializers;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.tree.ClassNode;

import java.lang.invoke.MethodHandles;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The method that runs a new static initializer's statements at apply, defined so the JVM's verifier
 * checks its stack map frames.
 */
class InitializerWriterTest {

    private static final String HOST = "p/C";

    /**
     * guava 32's AbstractFuture$UnsafeAtomicHelper: the whole initializer is a try block whose end jumps
     * over its handler to the final return. The cut before that return fell between the jump's target
     * label and its frame, and the written method jumped to an offset without a frame (VerifyError).
     */
    @Test
    void aTryBlockThatJumpsToTheEndOfTheInitializerKeepsTheFrameOfItsTarget() throws Exception {
        byte[] v1 = Javac.compile("p.C", "package p; public class C { static final String NAME = \"a\"; }");
        byte[] v2 = Javac.compile("p.C", "package p; public class C { static final String NAME; static java.util.List<String> seen;"
            + " static { try { NAME = Class.forName(\"java.lang.String\").getSimpleName(); seen = new java.util.ArrayList<>(); }"
            + " catch (ClassNotFoundException e) { throw new IllegalStateException(e); } } }");
        ClassNode loaded = ClassDiff.read(v1);
        ClassNode version = ClassDiff.read(v2);
        StaticInitializers.Plan plan = StaticInitializers.plan(loaded, version);
        assertEquals(1, plan.run().size(), "the new initializer's one statement runs");
        PatchShape shape = new PatchShape(Map.of(HOST, new PatchShape.Entry(ClassShape.of(loaded), ClassShape.of(version))),
            Map.of());
        byte[] impl = ImplClassWriter.write(v2, new RewriteContext(HOST, ImplNames.implClass(HOST), false, shape), plan);
        link(ImplNames.implClass(HOST).replace('/', '.'), impl, v1);
    }

    /** Defines the implementation class beside the loaded host and initializes it, which makes the JVM verify it. */
    private static void link(String implName, byte[] impl, byte[] host) throws Exception {
        ClassLoader loader = new ClassLoader(InitializerWriterTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] b = name.equals(implName) ? impl : name.equals("p.C") ? host : null;
                if (b == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, b, 0, b.length);
            }
        };
        Class<?> c = Class.forName(implName, false, loader);
        MethodHandles.privateLookupIn(c, MethodHandles.lookup()).ensureInitialized(c);
    }
}
