package io.livepatch4j.agent.tooling.integrations;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gate finds the hooks of a class by its name, or for an API's implementations by supertypes read from class files. */
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

    private static final Hooks.ClassHooks API_HOOKS = hooks("api");
    private static final Hooks.ClassHooks STREAM_HOOKS = hooks("stream");

    private static Hooks.ClassHooks hooks(String method) {
        return new Hooks.ClassHooks("", true, List.of(), List.of(new Hooks.MethodHook(method, Hooks.any(), null, null, false)),
            List.of());
    }

    @Test
    void classesWithHooksByNameAreFoundByNameAlone() throws IOException {
        TypeGate gate = new TypeGate();
        gate.weave(new Hooks.ClassHooks("java/util/concurrent/ThreadPoolExecutor", false, List.of(), List.of(), List.of()));
        gate.weave(new Hooks.ClassHooks("java/util/concurrent/CompletableFuture$", true,
            List.of("java/util/concurrent/CompletableFuture$Signaller"), List.of(), List.of()));
        gate.seal();
        assertEquals(1, gate.weaving(null, "java/util/concurrent/ThreadPoolExecutor", new byte[0]).size());
        assertEquals(1, gate.weaving("java/util/concurrent/CompletableFuture$AsyncRun").size());
        assertTrue(gate.weaving("java/util/concurrent/CompletableFuture$Signaller").isEmpty());
        assertTrue(gate.weaving("java/util/concurrent/CompletableFuture").isEmpty());
        assertTrue(gate.weaves(java.util.concurrent.ThreadPoolExecutor.class));
        assertFalse(gate.weaves(String.class));
        assertTrue(gate.weaving(loader, internal(Impl.class), classFile(Impl.class)).isEmpty(), "no API declared");
    }

    @Test
    void anApisImplementationsGetItsHooksThroughSupertypesReadFromClassFiles() throws IOException {
        TypeGate gate = new TypeGate();
        gate.implementing(API_HOOKS, Api.class.getName());
        gate.extending(STREAM_HOOKS, Stream.class.getName());
        gate.seal();
        assertEquals(List.of(API_HOOKS), gate.weaving(loader, internal(Impl.class), classFile(Impl.class)), "implements Api through Base");
        assertEquals(List.of(API_HOOKS), gate.weaving(loader, internal(Base.class), classFile(Base.class)));
        assertEquals(List.of(STREAM_HOOKS), gate.weaving(loader, internal(MyStream.class), classFile(MyStream.class)));
        assertTrue(gate.weaving(loader, internal(Unrelated.class), classFile(Unrelated.class)).isEmpty());
        assertTrue(gate.weaving(loader, internal(Api.class), classFile(Api.class)).isEmpty(), "an interface has no code to hook");
        assertTrue(gate.weaves(Impl.class));
        assertFalse(gate.weaves(Unrelated.class));
        assertFalse(gate.weaves(Api.class));
    }

    @Test
    void aLoaderWithoutTheApiGetsNoSupertypeWalk() throws IOException {
        TypeGate gate = new TypeGate();
        gate.implementing(API_HOOKS, Api.class.getName());
        gate.seal();
        try (URLClassLoader bare = new URLClassLoader(new URL[0], null)) {
            assertTrue(gate.weaving(bare, internal(Impl.class), classFile(Impl.class)).isEmpty());
        }
        assertTrue(gate.weaving(null, internal(Impl.class), classFile(Impl.class)).isEmpty(), "the boot loader has no API");
    }

    @Test
    void aSupertypeThatCannotBeReadInheritsNothing() {
        TypeGate gate = new TypeGate();
        gate.implementing(API_HOOKS, Api.class.getName());
        gate.seal();
        ClassWriter w = new ClassWriter(0);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "org/example/Orphan", null, "org/example/absent/Missing", null);
        w.visitEnd();
        assertTrue(gate.weaving(loader, "org/example/Orphan", w.toByteArray()).isEmpty(),
            "the JVM cannot load the class either; a guess would weave the API's hooks into an unrelated class");
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
