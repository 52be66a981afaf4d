package io.livepatch4j.agent.tooling;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JVM's live threads, listed without a safepoint: platform threads through the root thread
 * group, and on JDK 21+ virtual threads through the JDK's thread containers (the registry
 * {@code jcmd Thread.dump_to_file} reads; virtual threads are in no thread group). The containers
 * hold every virtual thread unless the JVM runs with {@code -Djdk.trackAllThreads=false}, in which
 * case only those of structured scopes and virtual-thread executors are listed (docs/agent.md).
 */
final class Threads {

    private static final System.Logger LOG = AgentLog.logger("io.livepatch4j");
    /** jdk.internal.vm.ThreadContainers and ThreadContainer, or null before JDK 21 or when not reachable. */
    private static volatile Class<?> containers;
    private static volatile Class<?> container;
    private static final String STREAM = "()Ljava/util/stream/Stream;";

    private Threads() {}

    /**
     * Finds the thread containers. They are called through the agent's JNI library
     * ({@link JvmtiStacks#callInternal}), so java.base exports nothing to the agent's module, which is
     * the application's (the system class loader's unnamed module).
     */
    static void init(Instrumentation inst) {
        if (Runtime.version().feature() < 21) {
            return;
        }
        try {
            Class<?> roots = Class.forName("jdk.internal.vm.ThreadContainers");
            Class<?> one = Class.forName("jdk.internal.vm.ThreadContainer");
            JvmtiStacks.callInternal(null, roots, "root", "()Ljdk/internal/vm/ThreadContainer;");
            container = one;
            containers = roots;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "livepatch4j: virtual threads cannot be listed (" + e + "); a virtual "
                + "thread inside a patched method when a patch arrives without a unit of work is not checked");
        }
    }

    static List<Thread> all() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        while (group.getParent() != null) {
            group = group.getParent();
        }
        Thread[] platform = new Thread[group.activeCount() + 64];
        int n;
        while ((n = group.enumerate(platform, true)) == platform.length) {
            platform = new Thread[platform.length * 2];
        }
        // The containers list platform threads too: keep each thread once.
        java.util.LinkedHashSet<Thread> all = new java.util.LinkedHashSet<>(Arrays.asList(platform).subList(0, n));
        all.addAll(containedThreads());
        return new ArrayList<>(all);
    }

    private static List<Thread> containedThreads() {
        Class<?> roots = containers;
        if (roots == null) {
            return List.of();
        }
        List<Thread> found = new ArrayList<>();
        try {
            collect(JvmtiStacks.callInternal(null, roots, "root", "()Ljdk/internal/vm/ThreadContainer;"), found);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "livepatch4j: could not list virtual threads: " + e);
        }
        return found;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object c, List<Thread> into) {
        try (Stream<Thread> ts = (Stream<Thread>) JvmtiStacks.callInternal(c, container, "threads", STREAM)) {
            ts.forEach(into::add);
        }
        List<Object> kids;
        try (Stream<Object> cs = (Stream<Object>) JvmtiStacks.callInternal(c, container, "children", STREAM)) {
            kids = cs.toList();
        }
        for (Object k : kids) {
            collect(k, into);
        }
    }
}
