package io.livepatch4j.agent.tooling.advice;

import io.livepatch4j.agent.bootstrap.Units;
import net.bytebuddy.asm.Advice;

/**
 * Byte Buddy advice for java.util.concurrent and virtual threads (see integrations.JdkExecutors) and
 * for the methods named by the unitOfWork option; one class per kind, because advice methods are
 * static and take their constants from the class they are declared in.
 */
public final class UnitAdvice {

    private UnitAdvice() {}

    /** ThreadPoolExecutor.beforeExecute: the task's unit begins once the hook has run. */
    public static final class BeforeExecute {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(1) Runnable task) {
            Units.enterHooked(task);
        }
    }

    /** Executor.execute (ThreadPoolExecutor), ForkJoinPool's external submission: the task carries the submitting thread's unit. */
    public static final class Capture {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.Argument(0) Object task) {
            return Units.submitting(task);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter boolean outermost) {
            Units.submitted(outermost);
        }
    }

    /** ThreadPoolExecutor.reject: the task will not run as a task; it releases the unit it carried. */
    public static final class Rejected {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object task) {
            Units.rejected(task);
        }
    }

    /** ScheduledThreadPoolExecutor.delayedExecute: a one-shot task due now carries the unit. */
    public static final class Scheduled {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.Argument(0) java.util.concurrent.RunnableScheduledFuture<?> task) {
            return io.livepatch4j.agent.bootstrap.ExecutorHooks.scheduled(task);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter boolean outermost) {
            Units.submitted(outermost);
        }
    }

    /** ForkJoinTask.fork, and VirtualThread.start: the task (or thread) carries the calling thread's unit. */
    public static final class CaptureThis {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.This Object task) {
            return Units.submitting(task);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter boolean outermost) {
            Units.submitted(outermost);
        }
    }

    /** ForkJoinPool.poolSubmit(boolean, task) (JDK 21+): the submitted task carries the unit. */
    public static final class CaptureSecond {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.Argument(1) Object task) {
            return Units.submitting(task);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter boolean outermost) {
            Units.submitted(outermost);
        }
    }

    /** ThreadPoolExecutor.shutdownNow: the tasks it drained never run; each releases the unit it carried. */
    public static final class Drained {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return java.util.List<Runnable> drained) {
            Units.drained(drained);
        }
    }

    /** FutureTask.cancel: a task cancelled before it ran releases the unit it carried. */
    public static final class Cancelled {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object task, @Advice.Return boolean cancelled) {
            if (cancelled) {
                Units.rejected(task);
            }
        }
    }

    /**
     * ThreadPoolExecutor.afterExecute (called after every task, unless a subclass overrides it
     * without calling super) and getTask (the worker asks for its next task): the unit
     * beforeExecute began ends, once.
     */
    public static final class AfterExecute {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            Units.exitHooked();
        }
    }

    /**
     * ForkJoinTask.doExec: one unit per task (the unit it carries, if any), except on a virtual
     * thread's carrier.
     */
    public static final class ForkJoin {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object task) {
            if (io.livepatch4j.agent.bootstrap.ExecutorHooks.onCarrier()) {
                return null;
            }
            return Units.enterTask(task, io.livepatch4j.agent.bootstrap.UnitKind.FORK_JOIN_TASK);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            if (token != null) {
                Units.exitTask(token);
            }
        }
    }

    /** VirtualThread.run(Runnable): the virtual thread's whole run (in the unit it carries, if any). */
    public static final class VirtualThread {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object thread) {
            return Units.enterTask(thread, io.livepatch4j.agent.bootstrap.UnitKind.VIRTUAL_THREAD);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Units.exitTask(token);
        }
    }

    /** A method named by the unitOfWork option. */
    public static final class Configured {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            Units.enter(io.livepatch4j.agent.bootstrap.UnitKind.CONFIGURED_METHOD);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            Units.exit();
        }
    }

    /** CompletableFuture.unipush(Completion), Timer.sched(TimerTask, ...): the work joins the registering unit if that is still open when it runs. */
    public static final class Register {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object work) {
            Units.register(work);
        }
    }

    /** CompletableFuture.bipush/orpush(other, BiCompletion): the stage joins the registering unit if still open. */
    public static final class RegisterSecond {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(1) Object work) {
            Units.register(work);
        }
    }

    /** A CompletableFuture Completion's tryFire: the stage runs in the unit it was registered in while that is open. */
    public static final class StageFired {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object stage) {
            return Units.enterRegistered(stage, io.livepatch4j.agent.bootstrap.UnitKind.COMPLETION_STAGE);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Units.exitTask(token);
        }
    }
}
