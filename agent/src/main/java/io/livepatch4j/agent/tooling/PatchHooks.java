package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.Generation;
import io.livepatch4j.agent.bootstrap.Units;
import io.livepatch4j.patch.NewClass;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.PatchHook;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * The callbacks and state transformers of one applied patch ({@link PatchHook}), resolved to the
 * methods of the classes it added, and run where their kind says (docs/patch-format.md,
 * "Transformers and callbacks"). A hook runs pinned to a generation (Units.callIn): the calls it
 * makes into patched classes run that generation's code, whichever generation the thread ran.
 *
 * <p>The ones that run on the applying or rolling-back thread (pre-apply, transformers,
 * pre-rollback) run under Lifecycle.lock, as everything in Patcher does; post-apply and post-rollback
 * run later, on the agent's callback thread, never under the lock, so a callback that waits for the
 * agent (status, another patch) cannot deadlock it.
 */
final class PatchHooks {

    private static final System.Logger LOG = AgentLog.logger("io.livepatch4j");

    /**
     * One plain thread, so post callbacks run one at a time in the order their transitions completed,
     * outside any unit of work (a pool's worker would run each task as a unit, and a hook pins its own
     * generation). Started on first use.
     */
    private static final java.util.concurrent.BlockingQueue<Runnable> LATER = new java.util.concurrent.LinkedBlockingQueue<>();
    private static final java.util.concurrent.atomic.AtomicBoolean STARTED = new java.util.concurrent.atomic.AtomicBoolean();

    private static void later(Runnable task) {
        LATER.add(task);
        if (STARTED.compareAndSet(false, true)) {
            Thread t = new Thread(() -> {
                while (true) {
                    try {
                        LATER.take().run();
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException | Error e) {
                        LOG.log(System.Logger.Level.WARNING, "livepatch4j: a patch callback failed", e);
                    }
                }
            }, "livepatch4j-callbacks");
            t.setDaemon(true);
            t.start();
        }
    }

    private record Resolved(PatchHook hook, MethodHandle method) {
    }

    /** Set on the thread that runs a hook under the lock: it may not apply or roll back (Patcher). */
    private static final ThreadLocal<Boolean> UNDER_LOCK = ThreadLocal.withInitial(() -> false);

    private final String patchId;
    private final List<Resolved> hooks;
    private final long timeoutMillis;

    private PatchHooks(String patchId, List<Resolved> hooks, long timeoutMillis) {
        this.patchId = patchId;
        this.hooks = hooks;
        this.timeoutMillis = timeoutMillis;
    }

    /** Whether the calling thread runs a hook of an apply or rollback in progress. */
    static boolean inHookUnderLock() {
        return UNDER_LOCK.get();
    }

    /**
     * The patch's hooks, once its new classes are defined among {@code hosts}' loaders (NewClasses);
     * a hook that runs under the lock may take {@code timeoutMillis} (agent option hookTimeoutMillis).
     */
    static PatchHooks resolve(Patch patch, List<HostClass> hosts, long timeoutMillis) throws PatchException {
        List<Resolved> resolved = new ArrayList<>();
        for (PatchHook h : patch.hooks()) {
            NewClass declaring = patch.newClasses().stream().filter(c -> c.name().equals(h.className())).findFirst()
                .orElseThrow(() -> new PatchException("refused: the hook " + h.display() + " is in a class the patch "
                    + "does not add; rebuild the patch with 'lp4j build'"));
            try {
                Class<?> type = NewClasses.defined(declaring, hosts);
                MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
                resolved.add(new Resolved(h, lookup.findStatic(type, h.method(), MethodType.methodType(void.class))));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                throw new PatchException("refused: the patch's " + h.kind() + " hook " + h.display() + " cannot be "
                    + "found (" + e + "); it must be a static method with no arguments that returns void: rebuild "
                    + "the patch with 'lp4j build'", e);
            }
        }
        return new PatchHooks(patch.id(), List.copyOf(resolved), timeoutMillis);
    }

    boolean has(PatchHook.Kind kind) {
        return hooks.stream().anyMatch(r -> r.hook.kind() == kind);
    }

    /**
     * Runs the hooks of {@code kind} now, on this thread, pinned to {@code in}; the first that throws
     * stops the others and refuses what is being done with {@code refusal} (its words, then the cause).
     */
    void runOrRefuse(PatchHook.Kind kind, Generation in, String refusal) throws PatchException {
        for (Resolved r : hooks) {
            if (r.hook.kind() == kind) {
                Throwable failed = callBounded(r, in);
                if (failed != null) {
                    throw new PatchException("refused patch " + patchId + ": " + refusal + " " + r.hook.display()
                        + " threw " + failed + "; nothing was published, and new units of work run the code as before (what "
                        + "the hook did before it threw stays; work it handed to other threads finishes in the patch's "
                        + "code, and the patch is undone once that has ended)", failed);
                }
            }
        }
    }

    /**
     * Runs the hooks of {@code kind} now, pinned to {@code in}, bounded as {@link #runOrRefuse} when
     * {@code underLock}; one that throws or overruns is logged.
     */
    void runLogged(PatchHook.Kind kind, Generation in, boolean underLock) {
        for (Resolved r : hooks) {
            if (r.hook.kind() == kind) {
                Throwable failed = underLock ? callBounded(r, in) : call(r, in);
                if (failed != null) {
                    LOG.log(System.Logger.Level.WARNING, "livepatch4j: patch " + patchId + ": the " + kind + " callback "
                        + r.hook.display() + " threw; the patch's life goes on", failed);
                }
            }
        }
    }

    /** Runs the hooks of {@code kind} on the callback thread, pinned to {@code in}, after what is queued there. */
    void runLater(PatchHook.Kind kind, Generation in) {
        if (has(kind)) {
            later(() -> runLogged(kind, in, false));
        }
    }

    /** Waits until every callback queued before this call has run; true if they did within the timeout. */
    static boolean awaitQueued(java.time.Duration timeout) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        later(done::countDown);
        return done.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Runs a hook that runs under Lifecycle.lock on a thread of its own, and waits for it at most
     * the hook timeout: a hook that blocks must not hold the lock (and every apply, rollback and
     * status change) for good. One that overruns fails as if it had thrown; it may still be running
     * (a thread cannot be stopped), pinned to its generation, and what it does then is its own.
     */
    private Throwable callBounded(Resolved r, Generation in) {
        Throwable[] failed = new Throwable[1];
        Thread t = new Thread(() -> {
            UNDER_LOCK.set(true);
            failed[0] = call(r, in);
        }, "livepatch4j-hook " + r.hook.display());
        t.setDaemon(true);
        t.start();
        try {
            t.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
        if (t.isAlive()) {
            return new java.util.concurrent.TimeoutException("it did not return within " + timeoutMillis
                + " ms (agent option hookTimeoutMillis); it may still be running");
        }
        return failed[0]; // join orders the hook thread's write before this read
    }

    private static Throwable call(Resolved r, Generation in) {
        try {
            Units.callIn(in, () -> {
                try {
                    r.method.invokeExact();
                } catch (Exception | Error e) {
                    throw e;
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
                return null;
            });
            return null;
        } catch (Exception | Error e) {
            return e;
        }
    }
}
