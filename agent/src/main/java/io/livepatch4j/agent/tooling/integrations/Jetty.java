package io.livepatch4j.agent.tooling.integrations;

import java.util.List;

import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.EXIT_TASK;
import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.hooks;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.SERVER;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.call;

/**
 * Jetty 12: {@code Server.handle(Request, Response, Callback)} begins a request's unit, which stays
 * open until the request's callback succeeds or fails (the response is complete), on whatever thread.
 * A core handler's asynchronous work runs on other threads, outside {@code Server.handle}: the
 * callback given to {@code Request.demand} (the rest of the body arrived) and the completion of a
 * {@code Response.write} (a slow client read it). Both are registered work: they run in the request's
 * unit while it is open (the read and write invokers' tasks, run by {@code SerializedInvoker}'s links
 * or an {@code Invocable.ReadyTask}, and the response's own completion). On virtual threads
 * ({@code VirtualThreadPool}) and on {@code ExecutorThreadPool} the server's jobs are no unit, as on
 * its platform threads.
 */
final class Jetty implements Integration {

    private static final Hooks.Call REGISTERED = call(SERVER, "jettyRegistered", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.THIS);
    /** The Runnable in the first argument, wrapped to carry the caller's unit if it is the application's (ServerHooks.jettyJob). */
    private static final Hooks.Call JOB = call(SERVER, "jettyJob", "(Ljava/lang/Runnable;)Ljava/lang/Runnable;", Hooks.Source.ARG0)
        .into(Hooks.Source.ARG0);

    @Override
    public String name() {
        return "Jetty 12";
    }

    @Override
    public void declare(TypeGate types) {
        // Server.handle: the request's unit begins; the callback holds it open.
        types.weave(hooks("org/eclipse/jetty/server/Server", List.of(new Hooks.MethodHook("handle", Hooks.arguments(3),
            call(SERVER, "jettyHandle", "(Ljava/lang/Object;Ljava/lang/Object;)V", Hooks.Source.ARG1, Hooks.Source.ARG2),
            call(SERVER, "exit", "()V"), true)), List.of()));
        // The request's callback succeeded or failed: the request is complete.
        Hooks.Call done = call(SERVER, "requestDone", "(Ljava/lang/Object;)V", Hooks.Source.THIS);
        types.weave(hooks("org/eclipse/jetty/server/internal/HttpChannelState$ChannelCallback",
            List.of(new Hooks.MethodHook("succeeded", Hooks.any(), done, null, false),
                new Hooks.MethodHook("failed", Hooks.any(), done, null, false)), List.of()));
        types.weave(hooks("org/eclipse/jetty/server/internal/HttpChannelState$ChannelRequest",
            List.of(new Hooks.MethodHook("demand", Hooks.parameters("(Ljava/lang/Runnable;)"), ServerCalls.REGISTER_ARG0, null, false)),
            List.of()));
        // ChannelResponse.succeeded/failed: a write of the response completed, on whatever thread.
        types.weave(hooks("org/eclipse/jetty/server/internal/HttpChannelState$ChannelResponse",
            List.of(new Hooks.MethodHook("succeeded", Hooks.arguments(0), REGISTERED, EXIT_TASK, true),
                new Hooks.MethodHook("failed", Hooks.arguments(1), REGISTERED, EXIT_TASK, true)), List.of()));
        // Invocable.ReadyTask.run: a task of an invoker, a request's demand callback among others.
        types.weave(hooks("org/eclipse/jetty/util/thread/Invocable$ReadyTask",
            List.of(new Hooks.MethodHook("run", Hooks.arguments(0),
                call(SERVER, "jettyRegistered", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.FIELD).field("task"),
                EXIT_TASK, true)), List.of()));
        // A Jetty server on virtual threads (VirtualThreadPool, Jetty 12): each job (an acceptor's and
        // a selector's loop, a connection's reads) runs on a virtual thread of its own, and is no unit,
        // as the jobs of a QueuedThreadPool's platform threads are none (ExecutorHooks.serverWorkStarting).
        // ExecutorThreadPool runs its jobs on a JDK ThreadPoolExecutor, whose tasks would each be a unit:
        // its acceptors' and selectors' loops would hold every transition for good (review 34c); its
        // jobs are server work too. On each pool, and through a context's execute, the application's
        // own work carries the unit it was handed over in (ServerHooks.jettyJob); the server's own
        // jobs carry nothing.
        Hooks.MethodHook serverWork = ServerCalls.serverWork("execute", Hooks.parameters("(Ljava/lang/Runnable;)"));
        Hooks.MethodHook applicationWork = new Hooks.MethodHook("execute", Hooks.parameters("(Ljava/lang/Runnable;"),
            JOB, null, false);
        types.weave(hooks("org/eclipse/jetty/util/thread/VirtualThreadPool", List.of(applicationWork, serverWork), List.of()));
        types.weave(hooks("org/eclipse/jetty/util/thread/ExecutorThreadPool", List.of(applicationWork, serverWork), List.of()));
        types.weave(hooks("org/eclipse/jetty/util/thread/QueuedThreadPool", List.of(applicationWork), List.of()));
        types.weave(hooks("org/eclipse/jetty/server/handler/ContextHandler$ScopedContext", List.of(applicationWork), List.of()));
        types.weave(hooks("org/eclipse/jetty/server/Server$ServerContext", List.of(applicationWork), List.of()));
        // A SerializedInvoker's link runs its tasks (and the ones queued behind it) itself.
        types.weave(hooks("org/eclipse/jetty/util/thread/SerializedInvoker$Link", List.of(),
            List.of(new Hooks.CallSwap("run", "java/lang/Runnable", "run", "()V",
                call(ServerCalls.EXECUTOR, "runInvokerTask", "(Ljava/lang/Runnable;)V")))));
    }
}
