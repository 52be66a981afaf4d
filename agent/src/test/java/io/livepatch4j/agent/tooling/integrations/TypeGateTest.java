package io.livepatch4j.agent.tooling.integrations;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gate admits every class an integration's matchers could take, and turns the rest away by name. */
class TypeGateTest {

    /** Stands for an API interface (jakarta.servlet.Servlet): the test's class loader has it. */
    public interface Api {
    }

    public interface Other {
    }

    public abstract static class Base implements Api {
    }

    public static class Impl extends Base implements Other {
    }

    public static class Unrelated implements Other {
    }

    public static class Stream {
    }

    public static class MyStream extends Stream {
    }

    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void wovenClassesAreFoundByNameAloneAndNeverReachByteBuddy() {
        TypeGate gate = new TypeGate();
        gate.weave(new Hooks.ClassHooks("java/util/concurrent/ThreadPoolExecutor", false, java.util.List.of(),
            java.util.List.of(), java.util.List.of()));
        gate.weave(new Hooks.ClassHooks("java/util/concurrent/CompletableFuture$", true,
            java.util.List.of("java/util/concurrent/CompletableFuture$Signaller"), java.util.List.of(), java.util.List.of()));
        gate.seal();
        assertEquals(1, gate.weaving("java/util/concurrent/ThreadPoolExecutor").size());
        assertEquals(1, gate.weaving("java/util/concurrent/CompletableFuture$AsyncRun").size());
        assertTrue(gate.weaving("java/util/concurrent/CompletableFuture$Signaller").isEmpty());
        assertTrue(gate.weaving("java/util/concurrent/CompletableFuture").isEmpty());
        assertFalse(gate.admits(null, "java/util/concurrent/ThreadPoolExecutor", new byte[0]));
        assertFalse(gate.admits(java.util.concurrent.ThreadPoolExecutor.class));
    }

    @Test
    void anApisImplementationsAreFoundThroughSupertypesReadFromClassFiles() throws IOException {
        TypeGate gate = new TypeGate();
        gate.implementing(Api.class.getName());
        gate.seal();
        assertTrue(gate.admits(loader, internal(Impl.class), classFile(Impl.class)), "implements Api through Base");
        assertTrue(gate.admits(loader, internal(Base.class), classFile(Base.class)));
        assertFalse(gate.admits(loader, internal(Unrelated.class), classFile(Unrelated.class)));
        assertTrue(gate.admits(Impl.class));
        assertFalse(gate.admits(Unrelated.class));
    }

    @Test
    void aSubclassIsFoundThroughItsSuperclass() throws IOException {
        TypeGate gate = new TypeGate();
        gate.extending(Stream.class.getName());
        gate.seal();
        assertTrue(gate.admits(loader, internal(MyStream.class), classFile(MyStream.class)));
        assertFalse(gate.admits(loader, internal(Unrelated.class), classFile(Unrelated.class)));
    }

    @Test
    void aLoaderWithoutTheApiGetsNoSupertypeWalk() throws IOException {
        TypeGate gate = new TypeGate();
        gate.implementing(Api.class.getName());
        gate.seal();
        try (URLClassLoader bare = new URLClassLoader(new URL[0], null)) {
            assertFalse(gate.admits(bare, internal(Impl.class), classFile(Impl.class)));
        }
        assertFalse(gate.admits(null, internal(Impl.class), classFile(Impl.class)), "the boot loader has no API");
    }

    @Test
    void aSupertypeThatCannotBeReadCountsAsAMatch() {
        TypeGate gate = new TypeGate();
        gate.implementing(Api.class.getName());
        gate.seal();
        ClassWriter w = new ClassWriter(0);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "org/example/Orphan", null, "org/example/absent/Missing", null);
        w.visitEnd();
        assertTrue(gate.admits(loader, "org/example/Orphan", w.toByteArray()),
            "Byte Buddy decides when the gate cannot: it must not turn a class away unread");
    }

    private static String internal(Class<?> c) {
        return c.getName().replace('.', '/');
    }

    private static byte[] classFile(Class<?> c) throws IOException {
        try (InputStream in = c.getClassLoader().getResourceAsStream(internal(c) + ".class")) {
            return in.readAllBytes();
        }
    }
}
