package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.PatchException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An apply's per-class work spread over the machine's cores: checking each class of a patch against
 * the code that runs, writing each version's implementation class, and finding the methods each
 * class's transition changes. Not the loading of the classes a patch names that no code had loaded:
 * two loaders that delegate to each other and are not parallel capable (a plug-in host's), or one
 * whose findClass is synchronized, deadlock when two threads load a subclass and its superclass
 * through them at once (review28), so the request's thread loads those alone. Each item is
 * independent of the others, a function of class bytes and of classes the JVM has loaded or can load,
 * so the order they are worked in does not matter; the caller's thread works too, and returns the results in the
 * items' order. When items fail, the first failure in that order is thrown, so a refusal reads the
 * same whichever thread met it and however the items were shared.
 *
 * <p>Concurrency: the helpers read what the caller wrote before it started them ({@code Thread.start}
 * orders it); each writes only the result and failure slots of the items it claimed (one atomic
 * counter hands each index to one thread); the caller reads the slots after joining every helper
 * ({@code Thread.join} orders it). The caller holds the lifecycle lock while it waits, and the helpers
 * never take it: a step must not change the lifecycle's state (it reads what the caller gave it and
 * loads classes, whose transformers never take the lock either; see Lifecycle's locking rule).
 *
 * <p>Helpers load classes (the rewriting resolves members through the classes' loaders), so they
 * need the locks of class loading. An apply called in process (the Java API, the MBean) may run
 * on a thread that holds such a lock, a class loader's monitor, say: a helper would wait for it
 * while that thread waits for the helper. Work is therefore shared only on the threads that the
 * agent started for lp4j's requests ({@link #shareOnThisThread}), which hold no lock of the
 * application's; elsewhere the caller does every item itself, as it would without helpers.
 */
final class ApplyWorkers {

    /** One item's work. */
    @FunctionalInterface
    interface Step<T, R> {
        R run(T item) throws PatchException;
    }

    /** Fewer items than this per thread are not worth a thread's start. */
    private static final int MIN_ITEMS_PER_THREAD = 4;

    /** Whether this thread may share its work with helpers: only the agent's own request threads. */
    private static final ThreadLocal<Boolean> SHARES = ThreadLocal.withInitial(() -> false);

    private ApplyWorkers() {}

    /** Called by a thread the agent started for one request, before anything else: see the class comment. */
    static void shareOnThisThread() {
        SHARES.set(true);
    }

    /**
     * {@code step} of every item, in the items' order; the first failure in that order is thrown.
     * {@code loaderOf} gives the loader through which an item's step may load classes (null for a step
     * that loads none): the items are shared only if every such loader is one that several threads
     * can load through at once ({@link #sharedLoading}).
     */
    static <T, R> List<R> map(String what, List<T> items, java.util.function.Function<T, ClassLoader> loaderOf,
                              Step<T, R> step) throws PatchException {
        boolean share = SHARES.get();
        for (int i = 0; share && loaderOf != null && i < items.size(); i++) {
            share = sharedLoading(loaderOf.apply(items.get(i)));
        }
        return map(what, items, step, share);
    }

    /**
     * Whether the agent's threads may load classes through {@code loader} at once: the JDK's own
     * loaders, and loaders registered as parallel capable (a lock per class name). Two loaders that
     * are not, and delegate to each other (a plug-in host's), deadlock when two threads load through
     * them in opposite order; review28 showed it for a subclass and its superclass. Where one is
     * involved, one thread does all the work, as it would without helpers. A parallel-capable loader
     * whose own findClass is synchronized can still deadlock so (docs/agent.md).
     */
    static boolean sharedLoading(ClassLoader loader) {
        return loader == null || loader == ClassLoader.getSystemClassLoader()
            || loader == ClassLoader.getPlatformClassLoader() || loader.isRegisteredAsParallelCapable();
    }

    private static <T, R> List<R> map(String what, List<T> items, Step<T, R> step, boolean share) throws PatchException {
        int n = items.size();
        Object[] results = new Object[n];
        Throwable[] failures = new Throwable[n];
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                try {
                    results[i] = step.run(items.get(i));
                } catch (Throwable e) { // every one, so that no slot is left empty without a failure
                    failures[i] = e;
                }
            }
        };
        int threads = share ? Math.min(Runtime.getRuntime().availableProcessors(), n / MIN_ITEMS_PER_THREAD) : 1;
        List<Thread> helpers = new ArrayList<>();
        for (int t = 1; t < threads; t++) {
            Thread h = new Thread(work, "livepatch4j-apply-" + what + "-" + t);
            h.setDaemon(true);
            try {
                h.start();
            } catch (OutOfMemoryError | RuntimeException noThread) {
                break; // no thread to be had: the caller and the helpers started so far do the rest
            }
            helpers.add(h);
        }
        work.run();
        joinUninterruptibly(helpers);
        for (Throwable f : failures) {
            if (f instanceof PatchException p) {
                throw p;
            }
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error e) {
                throw e;
            }
            if (f != null) {
                throw new IllegalStateException(f); // a checked exception a step threw undeclared
            }
        }
        @SuppressWarnings("unchecked")
        List<R> all = (List<R>) Arrays.asList(results);
        return all;
    }

    /**
     * The caller's step never gives up half way, and the helpers end once the items are claimed: an
     * interrupt is kept for the caller's next wait, not acted on here (leaving a helper running
     * would let it write a slot the caller reads).
     */
    private static void joinUninterruptibly(List<Thread> helpers) {
        boolean interrupted = false;
        for (Thread h : helpers) {
            while (true) {
                try {
                    h.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
