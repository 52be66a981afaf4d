package io.livepatch4j.agent.bootstrap;

/**
 * A serial queue's runner, handed to the queue's executor in place of the queue's own: the one task
 * that runs, one after another, the tasks many submitters queued (Vert.x's TaskQueue behind ordered
 * {@code executeBlocking} and worker contexts, Guava's SequentialExecutor). Its run is no unit of work
 * and it carries nothing; each task it runs is a unit, in the unit that task was queued from
 * ({@link ExecutorHooks#runQueued}). Were the runner a unit, it would carry the unit of whichever
 * submitter happened to start it, every task behind that one would run in that unit's generation,
 * and the unit would stay open for as long as the queue kept the runner busy.
 *
 * <p>An executor may run it inside something of its own: a virtual thread it starts for it, a
 * wrapper (a ForkJoinPool's adapted task, Vert.x's thread-per-task executor's lambda). What an
 * executor submits or starts while it takes a runner ({@link ExecutorHooks#dispatchRunner}) is
 * marked, and its run is no unit either ({@link #taken}). A server's own work on virtual threads is a runner
 * too, of the requests it serves (Helidon's connection loops, the jobs of Jetty's VirtualThreadPool and ExecutorThreadPool:
 * {@link ExecutorHooks#serverWorkStarting}): it is marked the same way, without this wrapper.
 *
 * <p>Thread safety: a runner is immutable, and runs the queue's runner as the queue would, on the
 * thread the executor gives it. The marks are a concurrent map; an executor's hand-over of the
 * marked object orders the mark before its run, which takes it.
 */
public final class QueueRunner implements Runnable {

    /** What executors submitted or started for a runner, not run yet: held weakly, by identity. */
    private static final java.util.concurrent.ConcurrentHashMap<WeakIdentity.Key, Boolean> MARKED =
        new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.lang.ref.ReferenceQueue<Object> COLLECTED = new java.lang.ref.ReferenceQueue<>();

    private final Runnable runner;

    QueueRunner(Runnable runner) {
        this.runner = runner;
    }

    /**
     * Runs the queue's runner. An executor that runs it inline (a direct executor) does so inside the
     * dispatch, whose flag must not reach the tasks: what they submit carries their units.
     */
    @Override
    public void run() {
        ThreadState t = ThreadState.current();
        int was = t.handOver(false, false);
        try {
            runner.run();
        } finally {
            t.restoreDispatching(was);
        }
    }

    /**
     * Set when the agent attached to a running JVM: a queue may then have a runner that began before,
     * in code the agent never wove, which runs its tasks without taking their holds.
     */
    private static volatile boolean runnersMayPredateAgent;
    /** The queues whose runner the agent handed over at least once (only where runners may predate it). */
    private static final java.util.concurrent.ConcurrentHashMap<WeakIdentity.Key, Boolean> DISPATCHED =
        new java.util.concurrent.ConcurrentHashMap<>();

    /** The agent was loaded into a running JVM (attach mode). Tooling only, when it starts. */
    public static void attachedToRunningJvm() {
        runnersMayPredateAgent = true;
    }

    /** The agent hands {@code queue}'s runner to an executor. */
    static void dispatchedFor(Object queue) {
        if (runnersMayPredateAgent && queue != null && !DISPATCHED.containsKey(new WeakIdentity.Probe(queue))) {
            expunge();
            DISPATCHED.put(new WeakIdentity.Key(queue, COLLECTED), Boolean.TRUE);
        }
    }

    /**
     * Whether {@code queue} may be run by a runner the agent never handed over (it began before the
     * agent attached, and has not run dry since): its tasks' holds would be taken by no run.
     */
    static boolean mayRunUnwoven(Object queue) {
        return runnersMayPredateAgent && queue != null && !DISPATCHED.containsKey(new WeakIdentity.Probe(queue));
    }

    private static void expunge() {
        for (Object k; (k = COLLECTED.poll()) != null; ) {
            MARKED.remove(k);
            DISPATCHED.remove(k);
        }
    }

    /** {@code submitted} (a wrapper, a thread) was submitted or started to run a runner. */
    static void mark(Object submitted) {
        if (submitted instanceof QueueRunner) {
            return;
        }
        expunge();
        MARKED.put(new WeakIdentity.Key(submitted, COLLECTED), Boolean.TRUE);
    }

    /** Whether {@code run}, which begins to run now, runs a queue's runner: it is one, or was {@link #mark}ed (the mark is taken). */
    static boolean taken(Object run) {
        if (run instanceof QueueRunner) {
            return true;
        }
        return !MARKED.isEmpty() && MARKED.remove(new WeakIdentity.Probe(run)) != null;
    }

    @Override
    public String toString() {
        return runner.toString();
    }
}
