package io.livepatch4j.agent.bootstrap.crac;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The global context, ordered as {@code jdk.crac}'s: {@code beforeCheckpoint} notifies the Resources
 * last registered first, {@code afterRestore} first registered first. Every Resource is notified even
 * when another throws; what they throw is gathered into one {@link CheckpointException} or
 * {@link RestoreException}. Resources are held weakly, as the JDK's context holds them: one the
 * application no longer reaches is dropped, not kept alive by the agent (the {@code org.crac} facade
 * keeps its proxy alive as long as the application keeps the Resource).
 *
 * <p>{@code afterRestore} notifies exactly the Resources {@code beforeCheckpoint} notified: one
 * registered meanwhile (by another Resource, or by the application while the checkpoint is taken) is
 * notified from the next checkpoint on, both ways. Whatever a Resource throws, an {@link Error}
 * included, is gathered and the next one is notified: the JVM must come back whole.
 *
 * <p>Concurrency: the list and the snapshot are guarded by this object's monitor, held only to add
 * and to copy; the Resources are called on the caller's thread without it, so a Resource may
 * register another. The agent notifies from one thread at a time.
 */
public final class GlobalContext extends Context<Resource> {

    private final List<WeakReference<Resource>> resources = new ArrayList<>();
    /** The Resources the last beforeCheckpoint notified, for its afterRestore; null when none is pending. */
    private List<Resource> notified;

    GlobalContext() {}

    @Override
    public void register(Resource resource) {
        if (resource == null) {
            throw new NullPointerException("resource");
        }
        synchronized (this) {
            resources.removeIf(r -> r.get() == null);
            resources.add(new WeakReference<>(resource));
        }
    }

    /** The Resources registered and still reachable, in the order of registration. */
    public synchronized List<Resource> registered() {
        List<Resource> live = new ArrayList<>();
        for (WeakReference<Resource> r : resources) {
            Resource resource = r.get();
            if (resource != null) {
                live.add(resource);
            }
        }
        return live;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) throws CheckpointException {
        List<Resource> live = registered();
        synchronized (this) {
            notified = live;
        }
        CheckpointException failed = null;
        for (int i = live.size() - 1; i >= 0; i--) {
            try {
                live.get(i).beforeCheckpoint(this);
            } catch (Throwable e) {
                failed = failed == null ? new CheckpointException() : failed;
                failed.addSuppressed(e);
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) throws RestoreException {
        List<Resource> those;
        synchronized (this) {
            those = notified != null ? notified : List.of();
            notified = null;
        }
        RestoreException failed = null;
        for (Resource r : those) {
            try {
                r.afterRestore(this);
            } catch (Throwable e) {
                failed = failed == null ? new RestoreException() : failed;
                failed.addSuppressed(e);
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
