package io.livepatch4j.agent.bootstrap;

/**
 * Units of work and quiescence points. A thread pins a generation when it enters its outermost unit
 * of work and lets go of it when it leaves (its quiescence point); in between, every patched method
 * it calls runs that generation's code. The instrumentation of executors, servers and configured
 * methods calls {@link #enter}/{@link #exit}; {@link Dispatch} begins an implicit unit when a
 * patched class is entered outside any other.
 *
 * <p>Everything here runs on the application thread and touches only that thread's
 * {@link ThreadState}, except the volatile announcements described in {@link Generations}.
 */
public final class Units {

    private Units() {}

    /** The start of a unit of work of this kind; nested units join the outermost one. */
    public static void enter(UnitKind kind) {
        ThreadState t = ThreadState.current();
        if (t.depth++ == 0 && t.implicitDepth == 0) {
            begin(t, kind);
        }
    }

    /** The end of the unit {@link #enter} began. */
    public static void exit() {
        ThreadState t = ThreadState.current();
        if (t.depth <= 0) {
            t.depth = 0; // the unit began before the agent instrumented it; nothing was pinned
            return;
        }
        if (--t.depth == 0 && t.implicitDepth == 0) {
            UnitKind kind = t.kind;
            end(t);
            if (kind == UnitKind.VIRTUAL_THREAD) {
                t.unregister();
            }
        }
    }

    /**
     * {@code Quiescence.point()}: the thread's outermost unit of work ends here and a new one of the
     * same kind begins, so a long-running loop moves to the newest generation between iterations.
     */
    public static void point() {
        ThreadState t = ThreadState.current();
        if (t.generation == null) {
            return;
        }
        UnitKind kind = t.kind;
        end(t);
        begin(t, kind);
    }

    /** Whether the calling thread is inside a unit of work. */
    public static boolean inUnit() {
        return ThreadState.current().generation != null;
    }

    /** {@code Quiescence.generation()}: the generation the calling thread runs. */
    public static long generation() {
        Generation g = ThreadState.current().generation;
        return (g != null ? g : Generations.current()).number();
    }

    // ---- implicit units, begun by Dispatch while a transition tracks the class ----

    /**
     * A call into a class in transition by a thread outside every unit of work: this call is the
     * unit. If the thread is already inside a frame of a tracked class (it entered before the
     * transition began, so no dispatch saw it), that frame runs older code, and so must this call.
     */
    static void enterImplicit() {
        ThreadState t = ThreadState.current();
        if (t.implicitDepth++ > 0 || t.depth > 0) {
            return;
        }
        Generation since = Generations.untrackedSince();
        boolean inside = since != null && Stacks.untrackedFrameBelow(Generations.tracked());
        t.lingering = inside;
        if (inside) {
            t.kind = UnitKind.OUTERMOST_CALL;
            t.unitStartNanos = System.nanoTime();
            t.generation = since;
            // Pairs with Generations.stopUntracked(): if the tooling stopped honouring untracked frames
            // after we read `since`, it may have missed our announcement; pin the current one instead.
            if (Generations.untrackedSince() == since) {
                return;
            }
            t.lingering = false;
        }
        begin(t, UnitKind.OUTERMOST_CALL);
    }

    static void exitImplicit() {
        ThreadState t = ThreadState.current();
        if (--t.implicitDepth == 0 && t.depth == 0) {
            end(t);
        }
    }

    // ---- pinning ----

    /**
     * Pins the current generation. See {@link Generations} for why the announcement comes first and
     * the re-reads after it. A thread still inside untracked older frames keeps their generation.
     */
    private static void begin(ThreadState t, UnitKind kind) {
        t.kind = kind;
        t.unitStartNanos = System.nanoTime();
        for (;;) {
            Generation since = t.lingering ? Generations.untrackedSince() : null;
            Generation g = since != null ? since : Generations.current();
            t.generation = g;
            if (Generations.barrierRaised()) {
                t.generation = null;
                Generations.awaitBarrier();
                t.unitStartNanos = System.nanoTime();
                continue;
            }
            if (since != null ? Generations.untrackedSince() == since : Generations.current() == g) {
                return;
            }
        }
    }

    /** The quiescence point: the thread holds no patched frames of its last unit any more. */
    private static void end(ThreadState t) {
        Generation g = t.generation;
        t.generation = null;
        t.kind = null;
        TransitionListener l = Generations.listener();
        if (l != null && g != null) {
            l.quiescent(t.thread, g);
        }
    }
}
