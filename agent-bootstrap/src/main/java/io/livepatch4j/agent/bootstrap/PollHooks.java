package io.livepatch4j.agent.bootstrap;

/**
 * Poll loops ({@code while (true) { records = consumer.poll(); handle(records); }}), which never
 * return, so no unit around them would ever end. Each poll is the quiescence point of the loop: the
 * records a poll returns are handled in one unit, which ends at the thread's next poll (or when it
 * closes the consumer). A server's loop over a connection is one too, its reads the polls (Helidon's:
 * a request, from the end of its headers to the next read; a WebSocket frame, from its read to the
 * next), so a connection waiting for its next request holds nothing. Everything here touches only the calling
 * thread's state.
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

    /**
     * The kinds of poll loop. Each keeps its own record per thread: a loop of one kind that runs inside
     * a unit another kind's poll began (a Kafka consumer polled inside a Helidon request) is a poll
     * inside a request, and must not end that unit (review 34b: the request then ran two generations).
     */
    public enum Loop {
        /** A Kafka consumer's: Consumer.poll. */
        KAFKA_CONSUMER,
        /** A Helidon connection's: its reads of the next request or WebSocket frame. */
        HELIDON_CONNECTION;

        private final ThreadLocal<Last> last = ThreadLocal.withInitial(Last::new);
    }

    private PollHooks() {}

    /**
     * A poll begins. If the last poll on this thread began the unit the thread is still in, the
     * records it returned have been handled: that unit ends here. If the thread is inside some other
     * unit (a loop that runs as an executor task) and polled already in that same unit, the thread
     * is in a poll loop, if that unit is a bare task ({@link #loopTask}): this poll is a quiescence
     * point ({@link Units#point}). Polls inside a request's unit are neither, and stay part of it.
     */
    public static void polling(Loop loop) {
        Last last = loop.last.get();
        ThreadState t = ThreadState.current();
        Unit u = t.unit;
        boolean own = last.own;
        if (u == null || u != last.unit()) {
            last.set(null, false);
            return;
        }
        last.set(null, false);
        if (own) {
            Units.exit();
        } else if (loopTask(t)) {
            Units.point();
        }
    }

    /**
     * Whether the thread's unit is a task that runs a poll loop: a thread-level task (an executor or
     * fork/join task, a virtual thread) with no unit nested in it. A request that polls twice (an
     * HTTP exchange, a servlet request nested in Tomcat's pool task, a Netty or gRPC call) is no
     * loop: ending its unit at the second poll would split the request in two generations.
     */
    private static boolean loopTask(ThreadState t) {
        UnitKind k = t.kind;
        // A pool worker started after the agent also runs the beforeExecute hook's unit, nested.
        int nested = t.depth - (t.hooked != null ? 1 : 0);
        return nested == 1 && t.implicitDepth == 0
            && (k == UnitKind.EXECUTOR_TASK || k == UnitKind.FORK_JOIN_TASK || k == UnitKind.VIRTUAL_THREAD);
    }

    /** A poll returned records (or none): their handling is a unit, until the next poll. */
    public static void polled(Loop loop, UnitKind kind) {
        Last last = loop.last.get();
        ThreadState t = ThreadState.current();
        boolean own = t.unit == null;
        if (own) {
            Units.enter(kind);
        }
        last.set(t.unit, own);
    }

    /** The consumer is closed: the batch unit the last poll on this thread began ends. */
    public static void closing(Loop loop) {
        Last last = loop.last.get();
        Unit u = last.unit();
        if (last.own && u != null && ThreadState.current().unit == u) {
            Units.exit();
        }
        last.set(null, false);
    }
}
