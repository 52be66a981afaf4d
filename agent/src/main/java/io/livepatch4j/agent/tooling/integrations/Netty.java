package io.livepatch4j.agent.tooling.integrations;

import java.util.ArrayList;
import java.util.List;

import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.EXIT_TASK;
import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.SUBMITTED;
import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.hooks;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.call;

/**
 * Netty 4.1 and 4.2. Event loops: a task submitted from inside a unit carries it, and each task run
 * is a unit. Channel pipelines: each inbound event is a unit, joining the request its channel has open;
 * with Netty's HTTP codec a request is one unit from its HttpRequest to its response's LastHttpContent
 * (or the channel's close), whichever threads run it. A channel's requests are keyed by its pipeline.
 */
final class Netty implements Integration {

    private static final String NETTY = "io/livepatch4j/agent/bootstrap/NettyHooks";
    private static final java.util.function.Predicate<String> RUNNABLE = Hooks.parameters("(Ljava/lang/Runnable;)");

    @Override
    public String name() {
        return "Netty 4 event loops, channel pipelines and HTTP codec";
    }

    @Override
    public void declare(TypeGate types) {
        // execute and lazyExecute: the task carries the unit, unless it is a scheduled one.
        Hooks.Call submitting = call(NETTY, "submitting", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.ARG0);
        types.weave(hooks("io/netty/util/concurrent/SingleThreadEventExecutor",
            List.of(new Hooks.MethodHook("execute", RUNNABLE, submitting, SUBMITTED, true),
                new Hooks.MethodHook("lazyExecute", RUNNABLE, submitting, SUBMITTED, true),
                new Hooks.MethodHook("reject", RUNNABLE, ServerCalls.REJECTED_ARG0, null, false)), List.of()));
        // A scheduled task (a timeout, a timer: Vert.x's setTimer) is registered in the unit that
        // schedules it: it runs in that unit if it is still open then (a request waiting on its own
        // timer), else in one of its own, and never holds it open, as on the JDK's schedulers.
        types.weave(hooks("io/netty/util/concurrent/AbstractScheduledEventExecutor", List.of(new Hooks.MethodHook("schedule",
            Hooks.parameters("(Lio/netty/util/concurrent/ScheduledFutureTask;)"), ServerCalls.REGISTER_ARG0, null, false)),
            List.of()));
        // Every task an event loop runs (safeExecute, the shutdown hooks) goes through runTask: it runs
        // in the unit it carries, else in one of its own.
        types.weave(hooks("io/netty/util/concurrent/AbstractEventExecutor", List.of(new Hooks.MethodHook("runTask", RUNNABLE,
            call(NETTY, "task", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.ARG0), EXIT_TASK, true)), List.of()));
        // An inbound event enters the pipeline: it joins the channel's open request, else is a unit of
        // its own. When the channel became inactive (closed), after its handlers ran, its pending
        // requests hold nothing open.
        Hooks.Call event = call(NETTY, "event", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.THIS);
        List<Hooks.MethodHook> events = new ArrayList<>();
        for (String fired : List.of("fireChannelRegistered", "fireChannelUnregistered", "fireChannelActive",
            "fireExceptionCaught", "fireUserEventTriggered", "fireChannelRead", "fireChannelReadComplete",
            "fireChannelWritabilityChanged")) {
            events.add(new Hooks.MethodHook(fired, Hooks.any(), event, EXIT_TASK, true));
        }
        events.add(new Hooks.MethodHook("fireChannelInactive", Hooks.any(), event,
            call(NETTY, "inactive", "(Ljava/lang/Object;Ljava/lang/Object;)V", Hooks.Source.THIS, Hooks.Source.ENTER), true));
        types.weave(hooks("io/netty/channel/DefaultChannelPipeline", events, List.of()));
        // A decoder hands each decoded message to the next handler through its context (NettyHooks.read).
        types.weave(hooks("io/netty/channel/AbstractChannelHandlerContext", List.of(new Hooks.MethodHook("fireChannelRead",
            Hooks.parameters("(Ljava/lang/Object;)"), call(NETTY, "read", "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;",
                Hooks.Source.FIELD, Hooks.Source.ARG0).field("pipeline"), EXIT_TASK, true)), List.of()));
        // HttpObjectEncoder.write of a LastHttpContent (or a FullHttpResponse): the response is complete.
        types.weave(hooks("io/netty/handler/codec/http/HttpObjectEncoder", List.of(new Hooks.MethodHook("write",
            Hooks.arguments(3), null, call(NETTY, "written", "(Ljava/lang/Object;Ljava/lang/Object;)V",
                Hooks.Source.ARG0, Hooks.Source.ARG1), true)), List.of()));
    }
}
