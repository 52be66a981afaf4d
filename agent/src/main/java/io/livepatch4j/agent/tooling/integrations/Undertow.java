package io.livepatch4j.agent.tooling.integrations;

import io.livepatch4j.agent.bootstrap.UnitKind;
import io.livepatch4j.agent.bootstrap.Units;
import io.livepatch4j.agent.tooling.advice.UnitAdvice;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Undertow (core handlers, and so its servlet layer too). An exchange is a unit from the first
 * {@code Connectors.executeRootHandler} that runs it (on an IO thread, or a worker) until the
 * exchange completes ({@code HttpServerExchange.invokeExchangeCompleteListeners}, on whatever
 * thread); every later run of the root handler for it (after {@code exchange.dispatch(...)}) joins
 * that unit. XNIO's workers are a JBoss Threads EnhancedQueueExecutor: each task is an executor task
 * and a task submitted inside a unit carries it, so a Runnable dispatched to a worker runs in its
 * exchange's unit.
 */
final class Undertow implements Integration {

    @Override
    public String name() {
        return "Undertow";
    }

    @Override
    public AgentBuilder install(AgentBuilder builder, TypeGate types) {
        return builder
            .type(types.named("io.undertow.server.Connectors"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(RootHandler.class)
                .on(named("executeRootHandler").and(takesArguments(2)))))
            .type(types.named("io.undertow.server.HttpServerExchange"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(Completed.class)
                .on(named("invokeExchangeCompleteListeners").and(takesArguments(0)))))

            // The response sender's completion callback runs on the I/O thread when a slow client has
            // read the response, outside executeRootHandler: in the exchange's unit while it is open.
            .type(types.named("io.undertow.io.AsyncSenderImpl"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(SenderCallback.class)
                .on(named("invokeOnComplete").or(named("invokeOnException")))))
            // Tasks for an I/O thread (exchange.getIoThread().execute, executeAfter; Undertow's own
            // timeouts too) are registered work: they run in the unit they were registered in while
            // it is open, and never hold it open (a timeout may fire long after).
            .type(types.named("org.xnio.nio.WorkerThread"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(UnitAdvice.Register.class).on(named("execute").and(takesArguments(Runnable.class))
                    .or(named("executeAfter").and(takesArguments(3)))
                    .or(named("executeAtInterval").and(takesArguments(3)))))
                .visit(Advice.to(IoThreadTask.class).on(named("safeRun").and(takesArguments(Runnable.class)))))

            .type(types.named("org.jboss.threads.EnhancedQueueExecutor"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(UnitAdvice.Capture.class)
                .on(named("execute").and(takesArguments(1)).and(takesArgument(0, Runnable.class)))))
            .type(types.named("org.jboss.threads.EnhancedQueueExecutor$Task"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(PoolTask.class)
                .on(named("run").and(takesArguments(0)))));
    }

    /**
     * Connectors.executeRootHandler(handler, exchange): the exchange's first run opens its unit, which
     * stays open until the exchange completes; later runs join it while it is open.
     */
    public static final class RootHandler {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(1) Object exchange) {
            boolean open = Units.requestOpen(exchange);
            Object token = Units.enterRequest(exchange, UnitKind.UNDERTOW_EXCHANGE);
            if (!open) {
                Units.requestOpened(exchange);
            }
            return token;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Units.exitTask(token);
        }
    }

    /** HttpServerExchange.invokeExchangeCompleteListeners: the exchange is complete. */
    public static final class Completed {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object exchange) {
            Units.requestDone(exchange);
        }
    }

    /** EnhancedQueueExecutor's Task.run: the submitted Runnable (its delegate) runs as an executor task. */
    public static final class PoolTask {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.FieldValue("delegate") Object task) {
            return Units.enterTask(task, UnitKind.EXECUTOR_TASK);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Units.exitTask(token);
        }
    }

    /** AsyncSenderImpl.invokeOnComplete/invokeOnException: the sender's callback runs in its exchange's unit. */
    public static final class SenderCallback {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.FieldValue("exchange") Object exchange) {
            return Units.enterRequest(exchange, UnitKind.UNDERTOW_EXCHANGE);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Units.exitTask(token);
        }
    }

    /** WorkerThread.safeRun(task): an I/O thread's task, in the unit it was registered in while that is open. */
    public static final class IoThreadTask {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(0) Object task) {
            return Units.joinRegistered(task, UnitKind.UNDERTOW_EXCHANGE);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Units.exitTask(token);
        }
    }
}
