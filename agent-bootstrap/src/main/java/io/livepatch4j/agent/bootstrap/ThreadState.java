package io.livepatch4j.agent.bootstrap;

import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one thread is doing, as far as generations are concerned: the generation it pinned when it
 * entered its outermost unit of work (null outside any unit), how deep it is, and since when.
 *
 * <p>Only the owning thread writes these fields. The tooling reads {@code generation} and
 * {@code unit} from its own thread to decide whether a transition is complete, so those are
 * volatile. {@code kind}, {@code via}, {@code unitStartNanos} and {@code lingering} only describe the
 * unit in status and straggler reports: plain fields, written before the volatile {@code generation}
 * that publishes them, so a unit costs no more memory fences than it needs (a stale description in
 * a status report is harmless). The depths are the owner's private bookkeeping. The write of {@code generation} is the thread's announcement: it
 * pairs with the tooling's scan of every thread state after it published a generation or stopped
 * offering untracked frames (see Generations).
 */
public final class ThreadState {

    /**
     * Every registered thread's state, by thread: one per thread. A thread's {@code CURRENT} value can
     * vanish while the thread lives on (JDK 25's common-pool workers erase their thread-locals after
     * each task, as innocuous threads do), and its next state then replaces the one it lost.
     */
    private static final ConcurrentHashMap<Thread, ThreadState> ALL = new ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicLong REGISTERED = new java.util.concurrent.atomic.AtomicLong();
    private static final ThreadLocal<ThreadState> CURRENT = ThreadLocal.withInitial(ThreadState::register);

    final Thread thread;
    /** The unit of work the thread runs in, or null; {@code generation} is its generation, read on every dispatch. */
    volatile Unit unit;
    volatile Generation generation;
    UnitKind kind;
    /** How the thread came to run in a unit of another kind (a fork/join task running a request's unit), or null. */
    UnitKind via;
    long unitStartNanos;
    /**
     * Set for the length of a unit of work that began above a frame of a changed method that no
     * dispatch saw (entered before the transition began): the unit runs that frame's older code.
     * Cleared at the quiescence point; between such units the transition finds the old frame by
     * looking at the thread's stack (Transition's held-back threads).
     */
    boolean lingering;
    /** Set while the thread waits at the global barrier to begin a unit: it runs nothing meanwhile. */
    volatile boolean awaitingBarrier;
    int depth;
    int implicitDepth;
    /**
     * What ThreadPoolExecutor.beforeExecute began (see Units#enterHooked): null for nothing, else the
     * token {@link Units#exitTask} takes.
     */
    Object hooked;
    /** The task whose run {@code hooked} is (its carried unit was taken once, by the hook). */
    Object hookedTask;
    /** The innermost submission that captured a hold the thread is in, or null (Submissions): a stack through {@code outer}. */
    Submissions.Submission submission;
    /**
     * Set while the thread hands an executor what is not work of its unit, which therefore carries
     * nothing (Submissions): a virtual thread's continuation, as it unparks, starts or yields one (the
     * virtual thread going on), or a serial queue's runner (QueueRunner: each task it runs carries its
     * own unit).
     */
    boolean dispatching;
    /** Set with {@code dispatching} while the thread hands an executor a runner (a queue's, a server's own work): what it submits or starts is marked (QueueRunner#mark). */
    boolean dispatchingRunner;

    /**
     * Sets both hand-over flags ({@code runner}: what is submitted now is marked, as a queue's runner's
     * is; a continuation's is not, since no run of it takes a mark); returns what they were, for
     * {@link #restoreDispatching}.
     */
    int handOver(boolean dispatching, boolean runner) {
        int was = (this.dispatching ? 1 : 0) | (dispatchingRunner ? 2 : 0);
        this.dispatching = dispatching;
        dispatchingRunner = runner;
        return was;
    }

    void restoreDispatching(int was) {
        dispatching = (was & 1) != 0;
        dispatchingRunner = (was & 2) != 0;
    }
    /**
     * The application call the thread last ran a unit in while a transition tracked classes (see
     * {@link AppCalls}), or null. Unlike the fields above, two parties write it, each with a
     * compare-and-set: the thread records calls, the tooling clears a record once it saw the thread
     * outside every application call.
     */
    volatile AppCall appCall;
    private static final java.lang.invoke.VarHandle APP_CALL;

    static {
        try {
            APP_CALL = java.lang.invoke.MethodHandles.lookup().findVarHandle(ThreadState.class, "appCall", AppCall.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ThreadState(Thread thread) {
        this.thread = thread;
    }

    private static ThreadState register() {
        ThreadState s = new ThreadState(Thread.currentThread());
        ThreadState lost = ALL.put(s.thread, s);
        if (lost != null) {
            lost.forgotten();
        }
        // A server that starts a thread per request registers threads without end; drop the ended
        // ones every 1024 registrations, so at most that many dead threads are ever held.
        if ((REGISTERED.incrementAndGet() & 1023) == 0) {
            pruneEnded();
        }
        return s;
    }

    static ThreadState current() {
        return CURRENT.get();
    }

    /** Forgets a thread whose life was one unit of work (a virtual thread) when that unit ends. */
    void unregister() {
        ALL.remove(thread, this);
        CURRENT.remove();
    }

    /** Every thread that ever entered a unit of work and is not known to have ended. For the tooling. */
    public static Collection<ThreadState> all() {
        return Collections.unmodifiableCollection(ALL.values());
    }

    /**
     * Drops the states of threads that have ended, releasing the unit each was in (a worker that
     * died in the middle of a task never reached its quiescence point). For the tooling.
     */
    public static void pruneEnded() {
        ALL.values().removeIf(s -> {
            if (s.thread.isAlive()) {
                return false;
            }
            s.forgotten();
            return true;
        });
    }

    /**
     * Its thread will never write this state again (it has ended, or lost the state with its
     * thread-locals): the unit it was in, if any, is released, as its quiescence point would have.
     */
    private void forgotten() {
        Unit u = unit;
        if (u != null) {
            unit = null; // nothing else writes this state now
            u.release();
        }
    }

    public Thread thread() {
        return thread;
    }

    boolean casAppCall(AppCall expected, AppCall next) {
        return APP_CALL.compareAndSet(this, expected, next);
    }

    /** The generation of the application call the thread runs in, if it recorded one in this chain of transitions. */
    public Generation appCallGeneration() {
        AppCall c = appCall;
        return c != null && c.chain() == Generations.chain() ? c.generation() : null;
    }

    /** The record as it is now, to pass to {@link #forgetAppCall} after a look at the thread's stack. Tooling only. */
    public Object appCallRecord() {
        return appCall;
    }

    /**
     * The tooling saw the thread outside every application call, after it read {@code seen}: the record
     * ends, unless the thread recorded or claimed one since (then the tooling looks again later).
     */
    public boolean forgetAppCall(Object seen) {
        return seen == null || APP_CALL.compareAndSet(this, (AppCall) seen, (AppCall) null);
    }

    /** The generation this thread's current unit of work runs, or null outside any unit. */
    public Generation generation() {
        return generation;
    }

    public boolean lingering() {
        return lingering;
    }

    public boolean awaitingBarrier() {
        return awaitingBarrier;
    }

    public UnitKind kind() {
        return kind;
    }

    /** The kind of work that carried the thread into its unit, when that differs from the unit's kind; else null. */
    public UnitKind via() {
        return via;
    }

    /** The unit the thread runs in, or null. */
    public Unit unit() {
        return unit;
    }

    public long unitStartNanos() {
        return unitStartNanos;
    }
}
