package io.livepatch4j.agent.bootstrap;

/**
 * What instrumented JDK code calls instead of running a task directly. ThreadPoolExecutor's worker
 * loop calls {@link #runTask} where it called {@code task.run()}, so each task is one unit of work
 * whatever the executor subclass does in beforeExecute/afterExecute.
 */
public final class ExecutorHooks {

    private static volatile Class<?> carrierThreadClass;

    private ExecutorHooks() {}

    public static void runTask(Runnable task) {
        Object token = Units.enterTask(task, UnitKind.EXECUTOR_TASK);
        try {
            task.run();
        } finally {
            Units.exitTask(token);
        }
    }

    private static final Class<?> COMPLETION = completionClass();

    private static Class<?> completionClass() {
        try {
            return Class.forName("java.util.concurrent.CompletableFuture$Completion");
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /**
     * A fork/join task was constructed: it carries the calling thread's unit, unless it is one of
     * CompletableFuture's dependent-stage objects, which mostly run inline on the thread that
     * completes the stage before them rather than as tasks (their own rule is still to come; see
     * docs/agent.md); the async stages (supplyAsync, runAsync) are carried.
     */
    public static void forkJoinTaskCreated(Object task) {
        if (COMPLETION != null && COMPLETION.isInstance(task)) {
            return;
        }
        Units.capture(task);
    }

    /** A ScheduledThreadPoolExecutor task is queued: a one-shot task carries the unit; a periodic one outlives it. */
    public static void scheduled(java.util.concurrent.RunnableScheduledFuture<?> task) {
        if (task != null && !task.isPeriodic()) {
            Units.capture(task);
        }
    }

    /**
     * Whether a fork/join task runs on a virtual thread's carrier: that task only mounts a virtual
     * thread, whose own run is the unit of work, so the carrier must not hold a unit meanwhile.
     */
    public static boolean onCarrier() {
        Thread t = Thread.currentThread();
        Class<?> carrier = carrierThreadClass;
        if (carrier == null) {
            if (!"jdk.internal.misc.CarrierThread".equals(t.getClass().getName())) {
                return false;
            }
            carrierThreadClass = t.getClass();
            return true;
        }
        return carrier == t.getClass();
    }
}
