package io.livepatch4j.agent.tooling.integrations;

import java.util.List;

import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.EXIT_TASK;
import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.hooks;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.SERVER;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.call;

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

    private static final java.util.function.Predicate<String> RUNNABLE = Hooks.parameters("(Ljava/lang/Runnable;)");

    @Override
    public String name() {
        return "Undertow";
    }

    @Override
    public void declare(TypeGate types) {
        // Connectors.executeRootHandler(handler, exchange): the exchange's first run opens its unit,
        // which stays open until the exchange completes; later runs join it while it is open.
        types.weave(hooks("io/undertow/server/Connectors", List.of(new Hooks.MethodHook("executeRootHandler", Hooks.arguments(2),
            call(SERVER, "undertowRootHandler", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.ARG1), EXIT_TASK, true)),
            List.of()));
        // HttpServerExchange.invokeExchangeCompleteListeners: the exchange is complete.
        types.weave(hooks("io/undertow/server/HttpServerExchange", List.of(new Hooks.MethodHook(
            "invokeExchangeCompleteListeners", Hooks.arguments(0),
            call(SERVER, "requestDone", "(Ljava/lang/Object;)V", Hooks.Source.THIS), null, false)), List.of()));
        // The response sender's completion callback runs on the I/O thread when a slow client has
        // read the response, outside executeRootHandler: in the exchange's unit while it is open.
        Hooks.Call sender = call(SERVER, "undertowEvent", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.FIELD)
            .field("exchange");
        types.weave(hooks("io/undertow/io/AsyncSenderImpl",
            List.of(new Hooks.MethodHook("invokeOnComplete", Hooks.any(), sender, EXIT_TASK, true),
                new Hooks.MethodHook("invokeOnException", Hooks.any(), sender, EXIT_TASK, true)), List.of()));
        // Tasks for an I/O thread (exchange.getIoThread().execute, executeAfter; Undertow's own
        // timeouts too) are registered work: they run in the unit they were registered in while it is
        // open (safeRun), and never hold it open (a timeout may fire long after).
        types.weave(hooks("org/xnio/nio/WorkerThread",
            List.of(new Hooks.MethodHook("execute", RUNNABLE, ServerCalls.REGISTER_ARG0, null, false),
                new Hooks.MethodHook("executeAfter", Hooks.arguments(3), ServerCalls.REGISTER_ARG0, null, false),
                new Hooks.MethodHook("executeAtInterval", Hooks.arguments(3), ServerCalls.REGISTER_ARG0, null, false),
                new Hooks.MethodHook("safeRun", RUNNABLE, call(SERVER, "undertowRegistered",
                    "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.ARG0), EXIT_TASK, true)), List.of()));
        // EnhancedQueueExecutor: a task submitted inside a unit carries it; its Task.run runs the
        // submitted Runnable (its delegate) as an executor task.
        types.weave(hooks("org/jboss/threads/EnhancedQueueExecutor", List.of(JdkExecutors.captures("execute", RUNNABLE,
            JdkExecutors.SUBMITTING_ARG0)), List.of()));
        types.weave(hooks("org/jboss/threads/EnhancedQueueExecutor$Task", List.of(new Hooks.MethodHook("run", Hooks.arguments(0),
            call(SERVER, "executorTask", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.FIELD).field("delegate"),
            EXIT_TASK, true)), List.of()));
    }
}
