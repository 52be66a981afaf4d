package io.livepatch4j.agent.bootstrap;

/**
 * The calls the agent weaves into the JDK's executors, fork/join tasks, CompletableFuture stages,
 * timers and virtual threads (integrations.JdkExecutors), and that Byte Buddy advice for other
 * executors calls too (advice.UnitAdvice). Woven code has no handler around them: none ever throws,
 * so that a failure here never reaches the JDK's code (it would take an executor's worker down).
 * Parameters are Object where the woven code passes a typed value: any reference fits.
 */
public final class TaskHooks {

    private TaskHooks() {}

    /**
     * Executor.execute and the like, entered: the task carries the submitting thread's unit
     * (Submissions). Returns the submission's record, or null: the token {@link #submitted} takes.
     */
    public static Object submitting(Object task) {
        try {
            return Submissions.submitting(task, null);
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * ... to {@code executor}, whose runs say which executor they are (a ThreadPoolExecutor's
     * beforeExecute and worker loop): each run there takes the hold of a submission there, so one
     * Runnable queued on two executors from two units runs each copy in its own unit.
     */
    public static Object submittingTo(Object task, Object executor) {
        try {
            return Submissions.submitting(task, executor);
        } catch (Throwable e) {
            return null;
        }
    }

    /** ... and left, normally ({@code thrown} null) or not: a ThreadPoolExecutor's, whose reject says when it refused. */
    public static void submitted(Object token, Throwable thrown) {
        ended(token, thrown, false);
    }

    /**
     * ... of a ForkJoinPool ({@code owner}) or a virtual thread's start: a RejectedExecutionException
     * means the task was not taken where the pool is shut down (a running one may throw it after
     * queueing the task, when its thread factory refuses a worker) or the thread did not start.
     */
    public static void submittedOrRefused(Object token, Throwable thrown, Object owner) {
        boolean finalRefusal;
        try {
            finalRefusal = !(owner instanceof java.util.concurrent.ExecutorService pool) || pool.isShutdown();
        } catch (Throwable e) {
            finalRefusal = false;
        }
        ended(token, thrown, finalRefusal);
    }

    /**
     * The record comes off its thread's stack first, by a field write and no call: even a
     * StackOverflowError in what follows cannot leave it there (a record left behind would take a
     * later submission of the same task for a nested method of its own, and hold the task).
     */
    private static void ended(Object token, Throwable thrown, boolean refusalIsFinal) {
        if (!(token instanceof Submissions.Submission s)) {
            return;
        }
        s.state.submission = s.outer;
        try {
            Submissions.ended(s, thrown, refusalIsFinal);
        } catch (Throwable e) {
            // never into the JDK's code
        }
    }

    /** JDK 25's ForkJoinPool.scheduleDelayedTask, entered: a task due now carries the unit, a delayed one joins it while open. */
    public static Object scheduledOnPool(Object task) {
        try {
            return ExecutorHooks.scheduled((java.util.concurrent.Delayed) task, false);
        } catch (Throwable e) {
            return null;
        }
    }

    /** ScheduledThreadPoolExecutor.delayedExecute, entered (ExecutorHooks.scheduled says which tasks carry the unit). */
    public static Object scheduled(Object task) {
        try {
            return ExecutorHooks.scheduled((java.util.concurrent.RunnableScheduledFuture<?>) task);
        } catch (Throwable e) {
            return null;
        }
    }

    /** The task will not run (Netty's executor rejected it, a cancelled FutureTask): it releases the unit it carried. */
    public static void rejected(Object task) {
        try {
            Units.rejected(task, null);
        } catch (Throwable e) {
            // never into the JDK's code
        }
    }

    /** ThreadPoolExecutor.shutdownNow, returned: the tasks {@code executor} drained never run. */
    public static void drained(Object tasks, Object executor) {
        try {
            Units.drained((java.util.List<?>) tasks, executor);
        } catch (Throwable e) {
            // never into the JDK's code
        }
    }

    /** ThreadPoolExecutor.reject, entered: its submission decides what the rejection means (Submissions). */
    public static void rejectedInSubmission(Object task) {
        try {
            Submissions.rejected(task);
        } catch (Throwable e) {
            // never into the JDK's code
        }
    }

    /** A rejection policy of the JDK's or Tomcat's, entered: it runs the task inline, drops it, throws, or submits it again. */
    public static void policyHandles(Object task) {
        try {
            Submissions.policyHandles(task);
        } catch (Throwable e) {
            // never into the JDK's code
        }
    }

    /**
     * What a ThreadPoolExecutor's execute calls instead of {@code queue.offer(task)}: whether the
     * queue took the task tells its submission, should execute then throw, whether the task may still
     * run. The queue's own exceptions go to execute as they would have.
     */
    public static boolean offered(java.util.concurrent.BlockingQueue<Object> queue, Object task) {
        boolean taken = queue.offer(task);
        if (taken) {
            try {
                Submissions.offered(task);
            } catch (Throwable e) {
                // never into the JDK's code
            }
        }
        return taken;
    }

    /** Tomcat's TaskQueue.force, returned: the rejected task it took is queued. */
    public static void forced(Object task, boolean queued) {
        try {
            Submissions.forced(task, queued);
        } catch (Throwable e) {
            // never into the JDK's code
        }
    }

    /** FutureTask.cancel, returned: a task cancelled before it ran releases the unit it carried. */
    public static void cancelled(Object task, boolean cancelled) {
        if (cancelled) {
            rejected(task);
        }
    }

    /** ThreadPoolExecutor.remove, returned: a task taken off {@code executor}'s queue releases the unit it carried. */
    public static void removed(Object task, boolean removed, Object executor) {
        if (!removed) {
            return;
        }
        try {
            Submissions.removed(task, executor);
        } catch (Throwable e) {
            // never into the JDK's code
        }
    }

    /**
     * What a ThreadPoolExecutor's DiscardOldestPolicy calls instead of {@code queue.poll()} ({@code
     * executor}: the one it handles): the task it takes off the queue is thrown away, so it releases
     * the unit its submission there carried now rather than when it is collected (a lambda that
     * captures nothing never is). The queue's own exceptions go to the policy as they would have.
     */
    public static Object discardOldest(java.util.concurrent.BlockingQueue<?> queue, Object executor) {
        Object task = queue.poll();
        try {
            Units.rejected(task, executor);
        } catch (Throwable e) {
            // never into the JDK's code
        }
        return task;
    }

    /**
     * ThreadPoolExecutor.beforeExecute, returned: the task's unit begins once the hook has run, with
     * the hold of its submission to {@code executor}.
     */
    public static void beforeExecuted(Object task, Object executor) {
        try {
            Units.enterHooked(task, executor);
        } catch (Throwable e) {
            // never into the JDK's code
        }
    }

    /** ThreadPoolExecutor.afterExecute and getTask, entered: the unit beforeExecute began ends, once. */
    public static void afterExecute() {
        try {
            Units.exitHooked();
        } catch (Throwable e) {
            // never into the JDK's code
        }
    }

    /** ForkJoinTask.doExec and CompletableFuture's async tasks, entered: one unit per task, except on a virtual thread's carrier. */
    public static Object forkJoinTask(Object task) {
        try {
            return ExecutorHooks.onCarrier() ? null : Units.enterTask(task, UnitKind.FORK_JOIN_TASK);
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * VirtualThread.run(Runnable), entered: the virtual thread's whole run, unless it runs a pool's
     * worker loop or the JDK's internal code; a thread-per-task executor's task decides in
     * {@link #perTaskRun}, where its task is known.
     */
    public static Object virtualThread(Object thread, Object task) {
        try {
            if (task != null && ExecutorHooks.perTaskRunner(task)) {
                return null;
            }
            return virtualThreadRuns(thread, task);
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * ThreadPerTaskExecutor's TaskRunner.run, entered, {@code task} the task it runs (JDK 21+): on a
     * virtual thread, the thread's unit as {@link #virtualThread} decides it for that task; on a
     * platform thread, none (a platform thread is never a unit of its own).
     */
    public static Object perTaskRun(Object task) {
        try {
            return ExecutorHooks.onVirtualThread() ? virtualThreadRuns(Thread.currentThread(), task) : null;
        } catch (Throwable e) {
            return null;
        }
    }

    private static Object virtualThreadRuns(Object thread, Object task) {
        boolean runner = QueueRunner.taken(thread) | (task != null && QueueRunner.taken(task)); // both marks taken
        if (runner || task != null && (ExecutorHooks.poolWorker(task) || ExecutorHooks.jdkInternal(task))) {
            // A pool's worker loop (a ThreadPoolExecutor given a virtual-thread factory): each of its
            // tasks is a unit, and the loop is none, or the pool would stay pinned to the unit it
            // happened to start the worker in, as a platform worker is never carried; a serial
            // queue's runner likewise, or a thread started for one (QueueRunner). The JDK's own code
            // (its socket pollers, started inside whichever unit first read a socket): none, and
            // nothing carried; inside it, the JDK's hooks find any unit (an httpserver exchange).
            Units.rejected(thread, null);
            return null;
        }
        return Units.enterTask(thread, UnitKind.VIRTUAL_THREAD);
    }

    /**
     * VirtualThread's methods that submit its continuation to the scheduler, entered: what they submit
     * carries nothing (ThreadState#dispatching), and is not marked as a runner's, even when a runner's
     * hand-over starts the virtual thread. Returns the flags as they were, for
     * {@link ExecutorHooks#handedOver}.
     */
    public static Object continuationScheduling() {
        try {
            return ThreadState.current().handOver(true, false); // boxed from the small-integer cache
        } catch (Throwable e) {
            return null;
        }
    }

    /** A CompletableFuture Completion's tryFire, entered: the stage runs in the unit it was registered in while that is open. */
    public static Object stageFired(Object stage) {
        try {
            return Units.enterRegistered(stage, UnitKind.COMPLETION_STAGE);
        } catch (Throwable e) {
            return null;
        }
    }

    /** Left, normally or not: what {@link #forkJoinTask}, {@link #virtualThread} or {@link #stageFired} began ends. */
    public static void exitTask(Object token) {
        if (token == null) {
            return;
        }
        try {
            Units.exitTask(token);
        } catch (Throwable e) {
            // never into the JDK's code
        }
    }

    /** CompletableFuture.unipush/bipush/orpush, Timer.sched, entered: the work joins the registering unit if that is still open when it runs. */
    public static void register(Object work) {
        try {
            Units.register(work);
        } catch (Throwable e) {
            // never into the JDK's code
        }
    }
}
