package io.livepatch4j.agent.tooling.advice;

import io.livepatch4j.agent.bootstrap.Units;
import net.bytebuddy.asm.Advice;

/**
 * Byte Buddy advice inlined into the methods that are units of work; one class per kind, because
 * advice methods are static and take their constants from the class they are declared in.
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

    /**
     * com.sun.net.httpserver's ExchangeImpl: created inside the exchange's unit, which stays open
     * until the exchange is closed or its response finished, on whatever thread that happens.
     */
    public static final class ExchangeOpened {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object exchange) {
            Units.requestOpened(exchange);
        }
    }

    /** ExchangeImpl.close: the exchange is complete. */
    public static final class ExchangeClosed {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object exchange) {
            Units.requestDone(exchange);
        }
    }

    /** WriteFinishedEvent(ExchangeImpl): the response was written in full. */
    public static final class ExchangeWritten {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object exchange) {
            Units.requestDone(exchange);
        }
    }

    /** Jetty 12's request callback succeeded or failed: the request is complete. */
    public static final class JettyCallbackDone {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object callback) {
            Units.requestDone(callback);
        }
    }

    /** com.sun.net.httpserver: ServerImpl.Exchange.run handles one exchange. */
    public static final class HttpExchange {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            Units.enter(io.livepatch4j.agent.bootstrap.UnitKind.HTTP_EXCHANGE);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            Units.exit();
        }
    }

    /**
     * Jetty 12: Server.handle(Request, Response, Callback) handles one request; its unit stays open
     * until the callback succeeds or fails (the response is complete), on whatever thread.
     */
    public static final class Jetty {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(2) Object callback) {
            Units.enter(io.livepatch4j.agent.bootstrap.UnitKind.JETTY_REQUEST);
            Units.requestOpened(callback);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            Units.exit();
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

    /** Quiescence.run and Quiescence.call. */
    public static final class QuiescenceUnit {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            Units.enter(io.livepatch4j.agent.bootstrap.UnitKind.QUIESCENCE_API);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            Units.exit();
        }
    }

    /** Quiescence.point. */
    public static final class QuiescencePoint {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            Units.point();
        }
    }

    /** Quiescence.generation. */
    public static final class QuiescenceGeneration {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return(readOnly = false) long generation) {
            generation = Units.generation();
        }
    }

    /** Quiescence.agentLoaded. */
    public static final class QuiescenceAgentLoaded {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return(readOnly = false) boolean loaded) {
            loaded = true;
        }
    }
}
