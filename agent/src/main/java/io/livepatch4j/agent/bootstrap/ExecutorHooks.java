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

    /**
     * A ScheduledThreadPoolExecutor task is queued: a one-shot task due now (execute, submit,
     * schedule with no delay) carries the unit. A delayed or periodic one outlives the work that
     * scheduled it (a timeout, a poller that reschedules itself) and begins units of its own: were
     * it to carry, a poller would pin its first generation for good.
     */
    public static boolean scheduled(java.util.concurrent.RunnableScheduledFuture<?> task) {
        if (task != null && !task.isPeriodic() && task.getDelay(java.util.concurrent.TimeUnit.NANOSECONDS) <= 0) {
            return Units.submitting(task);
        }
        return false;
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
