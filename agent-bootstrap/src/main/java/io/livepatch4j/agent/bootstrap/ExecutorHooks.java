package io.livepatch4j.agent.bootstrap;

/**
 * What instrumented JDK code calls instead of running a task directly. ThreadPoolExecutor's worker
 * loop calls {@link #runTask} where it called {@code task.run()}, so each task is one unit of work
 * whatever the executor subclass does in beforeExecute/afterExecute.
 */
public final class ExecutorHooks {

    /** The JDK's thread classes the hooks tell apart, by name: this code is compiled for JDK 17, which has neither. */
    private static final ThreadClass CARRIER = new ThreadClass("jdk.internal.misc.CarrierThread");
    private static final ThreadClass VIRTUAL = new ThreadClass("java.lang.VirtualThread");

    private ExecutorHooks() {}

    /** {@code executor}'s worker loop runs {@code task}: a unit, with the hold of the task's submission to that executor. */
    public static void runTask(Runnable task, Object executor) {
        Object token = null;
        try {
            token = Units.enterTask(task, UnitKind.EXECUTOR_TASK, executor);
        } catch (Throwable e) {
            // only the task's own exceptions may reach the loop that runs it, never the agent's
        }
        try {
            task.run();
        } finally {
            TaskHooks.exitTask(token);
        }
    }

    /**
     * JDK 17's CompletableFuture.ThreadPerTaskExecutor, entered: the task runs on a thread of its own,
     * which calls its run() directly. A CompletableFuture task's run is hooked (a fork/join task's unit,
     * which takes the hold), so it carries the unit as submitted; any other (a plain Runnable of
     * delayedExecutor) is handed over wrapped to carry it (CarriedTask), or its hold would stay until it
     * was collected. Never throws: the task as given, on any failure.
     */
    public static Runnable threadPerTask(Runnable task) {
        try {
            if (task != null && task.getClass().getName().startsWith("java.util.concurrent.CompletableFuture$")) {
                Units.capture(task);
                return task;
            }
            return CarriedTask.of(task);
        } catch (Throwable e) {
            return task;
        }
    }

    /** The worker loops of the thread pools the agent knows: each task they run is a unit, the loop itself none. */
    private static final java.util.Set<String> POOL_WORKERS = java.util.Set.of(
        "java.util.concurrent.ThreadPoolExecutor$Worker", "org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker");

    /**
     * Whether {@code task}, which a new virtual thread runs, is the JDK's internal code (a class of a
     * {@code sun.}, {@code jdk.internal.} or {@code com.sun.} package that the boot or platform loader
     * defined): the JDK's own loop (JDK 25's socket sub-pollers run as virtual threads for the JVM's
     * life) or server (com.sun.net.httpserver's exchange, a unit of its own: JdkHttpServer). Such a
     * thread is no unit of work: a poller's would never end and hold every transition.
     */
    static boolean jdkInternal(Object task) {
        Class<?> c = task.getClass();
        ClassLoader l = c.getClassLoader();
        if (l != null && l != ClassLoader.getPlatformClassLoader()) {
            return false;
        }
        String n = c.getName();
        return n.startsWith("sun.") || n.startsWith("jdk.internal.") || n.startsWith("com.sun.");
    }

    /** A thread-per-task executor's wrapper of each task (JDK 21+): its run says which task the thread runs. */
    static boolean perTaskRunner(Object task) {
        return "java.util.concurrent.ThreadPerTaskExecutor$TaskRunner".equals(task.getClass().getName());
    }

    /** Whether the calling thread is a virtual thread (JDK 21+). */
    static boolean onVirtualThread() {
        return VIRTUAL.isCurrent();
    }

    /** Whether {@code task}, which a new thread runs, is a thread pool's worker loop. */
    static boolean poolWorker(Object task) {
        return task != null && POOL_WORKERS.contains(task.getClass().getName());
    }

    /**
     * A ScheduledThreadPoolExecutor task is queued: a one-shot task due now (execute, submit,
     * schedule with no delay) carries the unit. A delayed or periodic one may outlive the work that
     * scheduled it (a timeout, a poller that reschedules itself): it joins the scheduling unit if that
     * is still open when it runs and begins a unit of its own otherwise; were it to carry (hold the
     * unit open), a poller would pin its first generation for good.
     */
    public static Object scheduled(java.util.concurrent.RunnableScheduledFuture<?> task) {
        return scheduled(task, task != null && task.isPeriodic());
    }

    /**
     * The same rule for any scheduler ({@code periodic}: whether the task says so; JDK 25's
     * ForkJoinPool tasks do not): returns the submission's record of a task that carries the unit, else
     * null.
     */
    static Object scheduled(java.util.concurrent.Delayed task, boolean periodic) {
        if (task != null && !periodic && task.getDelay(java.util.concurrent.TimeUnit.NANOSECONDS) <= 0) {
            return Submissions.submitting(task, null);
        }
        Units.register(task); // runs in the scheduling unit only if that is still open then
        return null;
    }

    /**
     * What a server's own invoker loop calls instead of {@code task.run()} (Jetty's SerializedInvoker,
     * which runs a request's demand callbacks): work registered in a unit runs in it while that is
     * open; any other task runs as it would without the agent.
     */
    public static void runInvokerTask(Runnable task) {
        Object token = null;
        try {
            token = Units.joinRegistered(task, UnitKind.JETTY_REQUEST);
        } catch (Throwable e) {
            // only the task's own exceptions may reach the loop that runs it, never the agent's
        }
        try {
            task.run();
        } finally {
            TaskHooks.exitTask(token);
        }
    }

    /**
     * What a serial queue calls instead of {@code executor.execute(runner)}: the executor gets the
     * runner as a {@link QueueRunner}, whose run is no unit, and the submission carries nothing
     * (ThreadState#dispatching); what the executor submits or starts for it meanwhile (a wrapper, a
     * virtual thread) is marked, and its run is no unit either. {@code queue}: the queue (or its
     * part) that hands the runner over.
     */
    public static void dispatchRunner(java.util.concurrent.Executor executor, Runnable runner, Object queue) {
        try {
            QueueRunner.dispatchedFor(queue);
        } catch (Throwable e) {
            // never into the queue's code
        }
        ThreadState t = ThreadState.current();
        int was = t.handOver(true, true);
        try {
            executor.execute(runner == null ? null : new QueueRunner(runner));
        } finally {
            t.restoreDispatching(was);
        }
    }

    /**
     * A server's method that starts its own work on a thread, entered: Helidon's
     * {@code ThreadPerTaskExecutor.execute} (a connection's loop over its requests) and its socket
     * writer's start, Jetty's {@code VirtualThreadPool.execute} and {@code ExecutorThreadPool.execute}
     * (every job of such a Jetty server: its acceptors, its selectors, its connections' reads). Such
     * work is a runner, as a serial queue's is ({@link QueueRunner}): what the method submits or
     * starts carries nothing and is marked, so its run is no unit, as the server's platform threads
     * are none; the requests it serves are units, through the server's own hooks. Returns the hand-over flags as they were, for {@link #handedOver}.
     */
    public static Object serverWorkStarting() {
        try {
            return ThreadState.current().handOver(true, true); // boxed from the small-integer cache
        } catch (Throwable e) {
            return null;
        }
    }

    /** A hand-over that {@link #serverWorkStarting} or TaskHooks#continuationScheduling began, left, normally or not: the flags as they were. */
    public static void handedOver(Object was) {
        try {
            if (was instanceof Integer flags) {
                ThreadState.current().restoreDispatching(flags);
            }
        } catch (Throwable e) {
            // never into the executor's code
        }
    }

    /**
     * A serial queue's method that queues {@code task}, entered: the task as it is, or, where a runner
     * that began before the agent attached may run it (QueueRunner#mayRunUnwoven), wrapped as a
     * {@link CarriedTask}, whose own run takes the hold: that runner's code was never woven and would
     * run the task outside every unit. The queue's submission, which follows, captures the hold on the
     * wrapper, and releases it if the queue refuses the task. Never throws: the task as given, on any
     * failure.
     */
    public static Runnable queueing(Runnable task, Object queue) {
        try {
            return QueueRunner.mayRunUnwoven(queue) ? CarriedTask.uncaptured(task) : task;
        } catch (Throwable e) {
            return task;
        }
    }

    /**
     * What a serial queue's runner calls instead of {@code task.run()}: the task is a unit, the one it
     * was queued from if it carries one (its submitter's request), else one of its own.
     */
    public static void runQueued(Runnable task) {
        Object token = null;
        try {
            token = Units.enterTask(task, UnitKind.QUEUED_TASK);
        } catch (Throwable e) {
            // only the task's own exceptions may reach the loop that runs it, never the agent's
        }
        try {
            task.run();
        } finally {
            TaskHooks.exitTask(token);
        }
    }

    /** What java.util.TimerThread's loop calls instead of {@code task.run()}: each timer task is a unit. */
    public static void runTimerTask(java.util.TimerTask task) {
        Object token = null;
        try {
            token = Units.enterTask(task, UnitKind.TIMER_TASK);
        } catch (Throwable e) {
            // only the task's own exceptions may reach the loop that runs it, never the agent's
        }
        try {
            task.run();
        } finally {
            TaskHooks.exitTask(token);
        }
    }

    /**
     * Whether a fork/join task runs on a virtual thread's carrier: that task only mounts a virtual
     * thread, whose own run is the unit of work, so the carrier must not hold a unit meanwhile.
     */
    public static boolean onCarrier() {
        return CARRIER.isCurrent();
    }

    /**
     * A thread class known by its name, compared by identity once seen. Racing first sightings write
     * the same class; a thread of another class never writes.
     */
    private static final class ThreadClass {
        private final String name;
        private volatile Class<?> seen;

        ThreadClass(String name) {
            this.name = name;
        }

        boolean isCurrent() {
            Class<?> c = Thread.currentThread().getClass();
            Class<?> known = seen;
            if (known == null) {
                if (!name.equals(c.getName())) {
                    return false;
                }
                seen = c;
                return true;
            }
            return known == c;
        }
    }
}
