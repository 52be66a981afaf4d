package io.livepatch4j.agent.bootstrap;

import java.util.Map;
import java.util.Set;

/**
 * The state that every unit of work consults when it starts: the current generation, the global
 * barrier, and, while a transition runs, which classes it tracks. Written only by the tooling's
 * transition (one at a time); read by application threads.
 *
 * <p>Memory ordering: all fields are volatile. {@link Units} announces a thread's pinned generation
 * and then re-reads {@code current}, {@code barrier} and {@code untrackedSince}; the tooling writes
 * one of these and then reads every thread's announcement. With volatile (sequentially consistent)
 * accesses on both sides, either the tooling sees the thread's announcement or the thread sees the
 * tooling's write and pins again (the Dekker pattern).
 */
public final class Generations {

    private static volatile Generation current = Generation.ZERO;
    private static volatile boolean barrier;
    private static final Object BARRIER_LOCK = new Object();
    /** Every class in transition, with the keys (name + descriptor) of its changed methods. */
    private static volatile Map<Class<?>, Set<String>> tracked = Map.of();
    private static volatile Generation untrackedSince;
    /**
     * The threads that must walk their stack when a unit of work begins; null: every thread (until
     * the transition has looked at all of them). A thread leaves it once a walk finds nothing.
     */
    private static volatile Set<Thread> walkers;
    private static volatile TransitionListener listener;
    /**
     * A token for the running chain of transitions (a transition and the reversals of it), new for
     * each chain; null when no transition tracks classes.
     */
    private static volatile Object chain;
    /** Counts calls of {@link #track}: an application call recorded in this epoch began after tracking did. */
    private static volatile long trackingEpoch;
    /**
     * Threads the tooling found inside an application call once the classes were tracked (see
     * AppCalls); null until it has looked at every thread: meanwhile, any thread may be one.
     */
    private static volatile Set<Thread> appWalkers;

    private Generations() {}

    /** The generation that a unit of work starting now pins. */
    public static Generation current() {
        return current;
    }

    /**
     * Publishes the generation that units of work starting from now on pin. Tooling only, under the
     * lifecycle lock. Pairs with the second read of {@code current} in Units.begin: a thread that
     * announced the older generation before this write is seen by the transition's scan of thread
     * states; one that announces after it reads the new value and pins again.
     */
    public static void publish(Generation g) {
        current = g;
    }

    // ---- global strategy: no unit of work starts while the barrier is raised ----

    /** Pairs with the read of {@code barrier} in Units.begin, after the thread's announcement. */
    public static void raiseBarrier() {
        barrier = true;
    }

    public static void lowerBarrier() {
        synchronized (BARRIER_LOCK) {
            barrier = false;
            BARRIER_LOCK.notifyAll();
        }
    }

    public static boolean barrierRaised() {
        return barrier;
    }

    /**
     * Blocks the calling thread, which holds no unit of work and no frame that needs older code,
     * until the barrier is lowered. Meanwhile it counts as quiescent even though the frame of the
     * method whose call is waiting is on its stack: that method has not started to run.
     */
    static void awaitBarrier(ThreadState t) {
        t.awaitingBarrier = true;
        try {
            awaitBarrier0();
        } finally {
            t.awaitingBarrier = false;
        }
    }

    private static void awaitBarrier0() {
        boolean interrupted = false;
        synchronized (BARRIER_LOCK) {
            while (barrier) {
                try {
                    BARRIER_LOCK.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: starting the unit now would break the barrier
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- tracking during a transition ----

    /**
     * Starts tracking: calls into the classes of {@code changed} made outside every unit of work now
     * begin an implicit unit; a thread found already inside a changed method of one of them (it
     * entered before tracking began) runs {@code since}, the generation that code was running in.
     */
    public static void track(Map<Class<?>, Set<String>> changed, Generation since) {
        walkers = null;
        appWalkers = null;
        trackingEpoch++; // tooling only, under the lifecycle lock
        if (chain == null) {
            chain = new Object(); // a reversal keeps the chain of the transition it reverses
        }
        tracked = Map.copyOf(changed);
        untrackedSince = since;
    }

    /** The tooling looked at every thread's stack: only these were inside an application call. */
    public static void appWalkOnly(Set<Thread> threads) {
        appWalkers = threads;
    }

    /** The threads still counted as inside an application call begun before the transition (null: all). For the tooling. */
    public static Set<Thread> appWalkers() {
        return appWalkers;
    }

    static boolean mayBeAppWalker(Thread t) {
        Set<Thread> w = appWalkers;
        return w == null || w.contains(t);
    }

    /** The thread proved it holds no application call begun before the transition. */
    static void appWalked(Thread t) {
        Set<Thread> w = appWalkers;
        if (w != null) {
            w.remove(t);
        }
    }

    public static Object chain() {
        return chain;
    }

    static long trackingEpoch() {
        return trackingEpoch;
    }

    /**
     * Narrows the stack walks to {@code threads}: the tooling looked at every thread once all guards
     * were on, and only these had a frame of a tracked class then. Any frame another thread enters
     * from now on goes through dispatch, so it cannot be untracked.
     */
    public static void walkOnly(Set<Thread> threads) {
        walkers = threads;
    }

    /** Offers untracked frames again after {@link #stopUntracked()} (the walk set stays as it was). */
    public static void resumeUntracked(Generation since) {
        untrackedSince = since;
    }

    /** Whether the thread must still walk its stack when it next begins a unit (tooling: the held-back rule). */
    public static boolean mustWalk(Thread t) {
        Set<Thread> w = walkers;
        return w == null || w.contains(t);
    }

    /** The thread's walk found no untracked frame: it need not walk again in this transition. */
    static void walked(Thread t) {
        Set<Thread> w = walkers;
        if (w != null) {
            w.remove(t);
        }
    }

    /**
     * Stops treating untracked frames as older code: from now on every new unit pins {@code current}.
     * Pairs with the second read of {@code untrackedSince} in Units.begin (the completion check
     * looks at the threads again after this write).
     */
    public static void stopUntracked() {
        untrackedSince = null;
    }

    public static void untrack() {
        untrackedSince = null;
        tracked = Map.of();
        walkers = null;
        appWalkers = null;
        chain = null;
    }

    /** Whether a transition tracks classes now (application calls are looked for only then). */
    static boolean tracking() {
        return chain != null;
    }

    static Map<Class<?>, Set<String>> tracked() {
        return tracked;
    }

    static Generation untrackedSince() {
        return untrackedSince;
    }

    // ---- the tooling's ear ----

    public static void listen(TransitionListener l) {
        listener = l;
    }

    static TransitionListener listener() {
        return listener;
    }
}
