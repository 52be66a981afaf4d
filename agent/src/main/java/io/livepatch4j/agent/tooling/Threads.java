package io.livepatch4j.agent.tooling;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The JVM's live threads, listed without a safepoint: platform threads through the root thread
 * group, and on JDK 21+ virtual threads through the JDK's thread containers (the registry
 * {@code jcmd Thread.dump_to_file} reads; virtual threads are in no thread group). The containers
 * hold every virtual thread unless the JVM runs with {@code -Djdk.trackAllThreads=false}, in which
 * case only those of structured scopes and virtual-thread executors are listed (docs/agent.md).
 */
final class Threads {

    private static final System.Logger LOG = System.getLogger("io.livepatch4j");
    /** ThreadContainers.root() and the container methods, or null before JDK 21 or when not reachable. */
    private static volatile Method root;
    private static volatile Method threads;
    private static volatile Method children;

    private Threads() {}

    /**
     * Makes the thread containers readable by the agent (and only the agent: the export goes to the
     * agent's own module, not to the application's).
     */
    static void init(Instrumentation inst) {
        if (Runtime.version().feature() < 21) {
            return;
        }
        try {
            Module javaBase = Object.class.getModule();
            Module agent = Threads.class.getModule();
            if (!javaBase.isExported("jdk.internal.vm", agent)) {
                inst.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.vm", Set.of(agent)), Map.of(), Set.of(), Map.of());
            }
            Class<?> containers = Class.forName("jdk.internal.vm.ThreadContainers");
            Class<?> container = Class.forName("jdk.internal.vm.ThreadContainer");
            threads = container.getMethod("threads");
            children = container.getMethod("children");
            root = containers.getMethod("root");
        } catch (ReflectiveOperationException | RuntimeException e) {
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
        Method r = root;
        if (r == null) {
            return List.of();
        }
        List<Thread> found = new ArrayList<>();
        try {
            collect(r.invoke(null), found);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "livepatch4j: could not list virtual threads: " + e);
        }
        return found;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object container, List<Thread> into) throws ReflectiveOperationException {
        try (Stream<Thread> ts = (Stream<Thread>) threads.invoke(container)) {
            ts.forEach(into::add);
        }
        List<Object> kids;
        try (Stream<Object> cs = (Stream<Object>) children.invoke(container)) {
            kids = cs.toList();
        }
        for (Object c : kids) {
            collect(c, into);
        }
    }
}
