package io.livepatch4j.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One unit of work as an object, so that it can outlive the thread extent that began it: a request
 * whose response another thread completes, or a task that a unit submitted and another thread runs
 * later. It pins one generation for its whole life. It is open while anything holds it: a thread
 * running in it, a task carried from it that has not run yet, a request of it that has not
 * completed. The transition waits for open units of older code wherever they are.
 *
 * <p>Memory ordering: a unit is added to {@link #OPEN} (a concurrent set) the first time something
 * other than a thread holds it, always by a thread that is still inside it, and leaves it only when
 * the last hold is released, after every thread has left it. So at every moment a unit of older
 * code is visible to the tooling either through a thread's announced generation or through OPEN.
 */
public final class Unit {

    private static final Set<Unit> OPEN = ConcurrentHashMap.newKeySet();
    private static final VarHandle HOLDS;
    private static final VarHandle CARRIED;

    static {
        try {
            HOLDS = MethodHandles.lookup().findVarHandle(Unit.class, "holds", int.class);
            CARRIED = MethodHandles.lookup().findVarHandle(Unit.class, "carried", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Generation generation;
    final UnitKind kind;
    final long startNanos;
    @SuppressWarnings("unused") // through HOLDS
    private volatile int holds;
    private volatile boolean detached;
    /** Holds by carried tasks and open requests, for status. */
    @SuppressWarnings("unused") // through CARRIED
    private volatile int carried;

    Unit(Generation generation, UnitKind kind, long startNanos) {
        this.generation = generation;
        this.kind = kind;
        this.startNanos = startNanos;
        // The thread that begins the unit holds it. A plain store: the unit reaches other threads
        // only through the volatile ThreadState.unit (or the concurrent carriers), which publish it.
        HOLDS.set(this, 1);
    }

    /** Units held by something other than a thread (carried tasks, open requests). For the tooling. */
    public static Set<Unit> open() {
        return Collections.unmodifiableSet(OPEN);
    }

    public Generation generation() {
        return generation;
    }

    public UnitKind kind() {
        return kind;
    }

    public long startNanos() {
        return startNanos;
    }

    /** How many tasks carried from this unit have not run yet, plus its open request. */
    public int carried() {
        return carried;
    }

    /**
     * For each of {@code units}, the classes of at most {@code max} of the tasks and requests that hold
     * it open now (one scan of every carried task and request: for status only).
     */
    public static java.util.Map<Unit, java.util.List<String>> carriers(java.util.Collection<Unit> units, int max) {
        java.util.Map<Unit, java.util.List<String>> found = new java.util.IdentityHashMap<>();
        units.forEach(u -> found.put(u, new java.util.ArrayList<>()));
        if (!found.isEmpty()) {
            Carriers.TASKS.holders(found, max);
            Carriers.REQUESTS.holders(found, max);
        }
        return found;
    }

    /** A task or request of this unit will hold it; called by a thread inside the unit. */
    void holdDetached() {
        if (!detached) {
            detached = true;
            OPEN.add(this);
        }
        HOLDS.getAndAdd(this, 1);
        CARRIED.getAndAdd(this, 1);
    }

    /**
     * The thread running in this unit joins another one for a while (a stage or task of another unit
     * runs inline on it): this unit, which only the thread held, is held aside, visible to the
     * tooling in {@link #OPEN}, until the thread comes back to it. Called by that thread while it
     * still announces this unit's generation.
     */
    void holdAside() {
        if (!detached) {
            detached = true;
            OPEN.add(this);
        }
        HOLDS.getAndAdd(this, 1);
    }

    /** A thread joins the unit to run a task carried from it: the task's hold becomes the thread's. */
    void detachedHoldTaken() {
        CARRIED.getAndAdd(this, -1);
    }

    /** A thread begins to run in the unit (beside the hold it already has). */
    void holdByThread() {
        HOLDS.getAndAdd(this, 1);
    }

    /**
     * A thread joins the unit only if it is still open (something holds it): work that belongs to a
     * unit without keeping it open (the next event of a request whose response is not complete yet).
     * Fails once the last hold has gone, so a unit that ended never opens again.
     */
    boolean tryHoldByThread() {
        for (;;) {
            int h = (int) HOLDS.getVolatile(this);
            if (h <= 0) {
                return false;
            }
            if (HOLDS.compareAndSet(this, h, h + 1)) {
                return true;
            }
        }
    }

    /** A hold ends; the last one ends the unit. */
    void release() {
        if ((int) HOLDS.getAndAdd(this, -1) == 1) {
            if (detached) {
                OPEN.remove(this);
                TransitionListener l = Generations.listener();
                if (l != null) {
                    l.quiescent(Thread.currentThread(), generation);
                }
            }
        }
    }

    /** A detached hold (a task dropped without running, a request completed) ends. */
    void releaseDetached() {
        CARRIED.getAndAdd(this, -1);
        release();
    }
}
