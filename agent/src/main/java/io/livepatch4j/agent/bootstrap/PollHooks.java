package io.livepatch4j.agent.bootstrap;

/**
 * Poll loops ({@code while (true) { records = consumer.poll(); handle(records); }}), which never
 * return, so no unit around them would ever end. Each poll is the quiescence point of the loop: the
 * records a poll returns are handled in one unit, which ends at the thread's next poll (or when it
 * closes the consumer). Everything here touches only the calling thread's state.
 */
public final class PollHooks {

    /** Per thread: the unit the last poll left the thread in, and whether that poll began it. */
    private static final class Last {
        /** Weak: a thread that stops polling must not keep an ended unit, and its generation, reachable. */
        java.lang.ref.WeakReference<Unit> unit = new java.lang.ref.WeakReference<>(null);
        boolean own;

        Unit unit() {
            return unit.get();
        }

        void set(Unit u, boolean own) {
            this.unit = new java.lang.ref.WeakReference<>(u);
            this.own = own;
        }
    }

    private static final ThreadLocal<Last> LAST = ThreadLocal.withInitial(Last::new);

    private PollHooks() {}

    /**
     * A poll begins. If the last poll on this thread began the unit the thread is still in, the
     * records it returned have been handled: that unit ends here. If the thread is inside some other
     * unit (a loop that runs as an executor task) and polled already in that same unit, the thread
     * is in a poll loop: this poll is a quiescence point ({@link Units#point}). A single poll inside a
     * request's unit is neither, and stays part of the request.
     */
    public static void polling() {
        Last last = LAST.get();
        Unit u = ThreadState.current().unit;
        boolean own = last.own;
        if (u == null || u != last.unit()) {
            last.set(null, false);
            return;
        }
        last.set(null, false);
        if (own) {
            Units.exit();
        } else {
            Units.point();
        }
    }

    /** A poll returned records (or none): their handling is a unit, until the next poll. */
    public static void polled(UnitKind kind) {
        Last last = LAST.get();
        ThreadState t = ThreadState.current();
        boolean own = t.unit == null;
        if (own) {
            Units.enter(kind);
        }
        last.set(t.unit, own);
    }

    /** The consumer is closed: the batch unit the last poll on this thread began ends. */
    public static void closing() {
        Last last = LAST.get();
        Unit u = last.unit();
        if (last.own && u != null && ThreadState.current().unit == u) {
            Units.exit();
        }
        last.set(null, false);
    }
}
