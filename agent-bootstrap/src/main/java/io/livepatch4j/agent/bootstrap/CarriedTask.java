package io.livepatch4j.agent.bootstrap;

/**
 * A task that an executor runs on a thread started for it alone (Spring's SimpleAsyncTaskExecutor,
 * the default for {@code @Async}): no worker loop to hook, so the executor is handed this wrapper
 * instead, which carries the submitting thread's unit (if any) and runs the task as a unit. Threads
 * in general are not carried (a pool growing its workers inside a request must not pin them); a
 * thread that lives for one task is that task.
 */
public final class CarriedTask implements Runnable {

    private final Runnable task;

    private CarriedTask(Runnable task) {
        this.task = task;
    }

    /** {@code task}, wrapped to carry the calling thread's unit; held weakly until it runs, as any carried task. */
    public static Runnable of(Runnable task) {
        if (task == null || task instanceof CarriedTask) {
            return task;
        }
        CarriedTask carried = new CarriedTask(task);
        Units.capture(carried);
        return carried;
    }

    /**
     * {@code task}, wrapped but holding nothing yet: the submission the caller is about to make of it
     * captures the hold (a serial queue's, whose refusal then releases it, see ExecutorHooks#queueing).
     */
    static Runnable uncaptured(Runnable task) {
        return task == null || task instanceof CarriedTask ? task : new CarriedTask(task);
    }

    @Override
    public void run() {
        Object token = Units.enterTask(this, UnitKind.EXECUTOR_TASK);
        try {
            task.run();
        } finally {
            Units.exitTask(token);
        }
    }

    /** The class status names for a held object: the wrapped task's, for this wrapper. */
    static Class<?> heldClass(Object held) {
        return held instanceof CarriedTask c ? c.task.getClass() : held.getClass();
    }

    @Override
    public String toString() {
        return task.toString();
    }
}
