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
 * <p>Immutable; the runner it wraps is the queue's, run as the queue would run it, on the thread the
 * executor gives it.
 */
public final class QueueRunner implements Runnable {

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
        boolean was = t.dispatching;
        t.dispatching = false;
        try {
            runner.run();
        } finally {
            t.dispatching = was;
        }
    }

    @Override
    public String toString() {
        return runner.toString();
    }
}
