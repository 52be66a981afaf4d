package io.livepatch4j.agent.tooling.advice;

import io.livepatch4j.agent.bootstrap.TaskHooks;
import io.livepatch4j.agent.bootstrap.Units;
import net.bytebuddy.asm.Advice;

/**
 * Byte Buddy advice for the executors of libraries (Tomcat's, Netty's, Undertow's integrations),
 * calling the same TaskHooks that are woven into the JDK's executors (integrations.JdkExecutors),
 * and for the methods named by the unitOfWork option; one class per kind, because advice methods
 * are static and take their constants from the class they are declared in.
 */
public final class UnitAdvice {

    private UnitAdvice() {}

    /** ThreadPoolExecutor.beforeExecute: the task's unit begins once the hook has run. */
    public static final class BeforeExecute {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(1) Runnable task) {
            TaskHooks.beforeExecuted(task);
        }
    }

    /** Executor.execute: the task carries the submitting thread's unit. */
    public static final class Capture {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.Argument(0) Object task) {
            return TaskHooks.submitting(task);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter boolean outermost) {
            TaskHooks.submitted(outermost);
        }
    }

    /** ThreadPoolExecutor.reject: the task will not run as a task; it releases the unit it carried. */
    public static final class Rejected {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object task) {
            TaskHooks.rejected(task);
        }
    }

    /** ThreadPoolExecutor.shutdownNow: the tasks it drained never run; each releases the unit it carried. */
    public static final class Drained {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return java.util.List<Runnable> drained) {
            TaskHooks.drained(drained);
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
            TaskHooks.afterExecute();
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

    /** Work registered (an I/O thread's task, a listener): it joins the registering unit if that is still open when it runs. */
    public static final class Register {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object work) {
            TaskHooks.register(work);
        }
    }

}
