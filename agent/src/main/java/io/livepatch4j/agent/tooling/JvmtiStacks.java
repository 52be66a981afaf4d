package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.AppCalls;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** JVMTI GetStackTrace through the agent's JNI library (linux-x86_64); see lp4j_stacks.c. */
final class JvmtiStacks implements ThreadStacks {

    private static final System.Logger LOG = AgentLog.logger("io.livepatch4j");
    private static final String RESOURCE = "META-INF/livepatch4j/native/linux-x86_64/liblp4jstacks.so";

    private JvmtiStacks() {}

    /** Whether the library is loaded: null before the first try. Guarded by the class's monitor. */
    private static Boolean loaded;

    /** The library, or null where it cannot be loaded (another platform, a build without gcc). */
    static synchronized JvmtiStacks load() {
        if (loaded == null) {
            loaded = loadLibrary();
        }
        return loaded ? new JvmtiStacks() : null;
    }

    /**
     * The class's JVMTI status bits (1 verified, 2 prepared, 4 initialized, 8 error), or -1 where the
     * library cannot be loaded. Loads it if stack reading did not (JDK 24+ reads stacks without it).
     */
    static int classStatus(Class<?> type) {
        return load() == null ? -1 : classStatus0(type);
    }

    /** Whether {@link #defineClass} can work here: the library loads. */
    static boolean canDefineClasses() {
        return load() != null;
    }

    /**
     * Defines a class in {@code loader} (null: the bootstrap loader) without linking it and without widening any module's access
     * (see lp4j_stacks.c); false where the library cannot be loaded. The class gets no protection
     * domain of its own (JNI DefineClass gives none).
     */
    static boolean defineClass(String internalName, ClassLoader loader, byte[] bytes) {
        if (load() == null) {
            return false;
        }
        defineClass0(internalName, loader, bytes);
        return true;
    }

    /**
     * {@code target.name()} (or the static {@code owner.name()} if target is null), a method
     * returning an object with descriptor {@code desc}, of a JDK class java.base does not export;
     * called through JNI, so no module is exported to the application (see lp4j_stacks.c).
     *
     * @throws IllegalStateException where the library cannot be loaded
     */
    static Object callInternal(Object target, Class<?> owner, String name, String desc) {
        if (load() == null) {
            throw new IllegalStateException("the agent's native library is not loaded");
        }
        return callInternal0(target, owner, name, desc);
    }

    private static native Object callInternal0(Object target, Class<?> owner, String name, String desc);

    private static native Class<?> defineClass0(String internalName, ClassLoader loader, byte[] bytes);

    private static boolean loadLibrary() {
        String arch = System.getProperty("os.arch");
        if (!System.getProperty("os.name").startsWith("Linux") || !("amd64".equals(arch) || "x86_64".equals(arch))) {
            return false;
        }
        try (InputStream in = JvmtiStacks.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return false;
            }
            Path lib = AgentDirectory.write("liblp4jstacks.so", in);
            try {
                System.load(lib.toString());
            } finally {
                java.nio.file.Files.deleteIfExists(lib); // mapped now: the name is litter after a crash
            }
            return available();
        } catch (Exception | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "livepatch4j: the agent's JNI library did not load (" + e.getMessage()
                + "); a /tmp mounted noexec does this. The agent works without it, slower and with less: stacks are "
                + "read with Thread.getStackTrace (a safepoint per read on JDK 17), its runtime is appended to the "
                + "bootstrap class path (HotSpot then warns that sharing is limited), and classes a patch adds in new "
                + "packages are refused. Give the JVM a /tmp it may map executable files from (docs/agent.md).");
            return false;
        }
    }

    @Override
    public boolean hasFrameOf(Thread thread, Map<Class<?>, Set<String>> changed) {
        Class<?>[] classes = new Class<?>[changed.size()];
        String[][] methods = new String[changed.size()][];
        int i = 0;
        for (Map.Entry<Class<?>, Set<String>> e : changed.entrySet()) {
            classes[i] = e.getKey();
            methods[i++] = e.getValue().toArray(new String[0]);
        }
        int r = hasFrameOf(thread, classes, methods);
        if (r < 0) {
            // Cannot tell: count it as inside, so the transition waits rather than risk mixing code.
            return true;
        }
        return r == 1;
    }

    @Override
    public boolean inApplicationCall(Thread thread) {
        Class<?>[] classes = frameClasses(thread);
        // cannot tell: count it as inside, so the transition waits rather than risk mixing code
        return classes == null || inApplicationCall(classes);
    }

    /**
     * One read of the frames' classes answers the application-call question, and the changed-frame
     * one for every thread with no frame of a changed class (most of them); only a thread with such a
     * frame takes a second look, by method.
     */
    @Override
    public Look look(Thread thread, Map<Class<?>, Set<String>> changed) {
        Class<?>[] classes = frameClasses(thread);
        if (classes == null) {
            return new Look(hasFrameOf(thread, changed), true);
        }
        boolean changedClass = false;
        for (Class<?> c : classes) {
            if (c == null || changed.containsKey(c)) {
                changedClass = true; // an unnamed frame: look by method, to be sure
                break;
            }
        }
        return new Look(changedClass && hasFrameOf(thread, changed), inApplicationCall(classes));
    }

    private static boolean inApplicationCall(Class<?>[] classes) {
        java.util.List<AppCalls.Code> codes = new java.util.ArrayList<>(classes.length);
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        for (Class<?> c : classes) {
            if (c == null) {
                codes.add(AppCalls.Code.SERVER); // unnamed: the safe side (it can only make a call count)
                continue;
            }
            if (c.isHidden()) {
                // JVMTI sees the frames of hidden classes (a lambda's or method reference's class,
                // lambda forms); the thread's own StackWalker, which decides the same question, does
                // not: leave them out so both see the same stack.
                continue;
            }
            ClassLoader l = c.getClassLoader();
            codes.add(AppCalls.classify(c.getName(), l == null || l == platform));
        }
        return AppCalls.inCall(codes);
    }

    @Override
    public String mechanism() {
        return "JVMTI GetStackTrace (handshake)";
    }

    private static native boolean available();

    private static native int classStatus0(Class<?> type);

    /** The declaring class of each frame, top first; null if the stack could not be read. */
    private static native Class<?>[] frameClasses(Thread thread);

    /** {@code methods[i]}: the keys (name + descriptor) of the changed methods of {@code classes[i]}. */
    private static native int hasFrameOf(Thread thread, Class<?>[] classes, String[][] methods);
}
