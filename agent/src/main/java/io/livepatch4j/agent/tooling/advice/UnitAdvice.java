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
        static void exit() {
            Units.enterHooked();
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

    /** ForkJoinTask.doExec: one unit per task, except on a virtual thread's carrier. */
    public static final class ForkJoin {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter() {
            if (io.livepatch4j.agent.bootstrap.ExecutorHooks.onCarrier()) {
                return false;
            }
            Units.enter(io.livepatch4j.agent.bootstrap.UnitKind.FORK_JOIN_TASK);
            return true;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter boolean entered) {
            if (entered) {
                Units.exit();
            }
        }
    }

    /** VirtualThread.run(Runnable): the virtual thread's whole run. */
    public static final class VirtualThread {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            Units.enter(io.livepatch4j.agent.bootstrap.UnitKind.VIRTUAL_THREAD);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            Units.exit();
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

    /** Jetty 12: Server.handle(Request, Response, Callback) handles one request. */
    public static final class Jetty {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            Units.enter(io.livepatch4j.agent.bootstrap.UnitKind.JETTY_REQUEST);
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
