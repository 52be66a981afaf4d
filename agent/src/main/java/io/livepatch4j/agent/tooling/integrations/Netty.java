package io.livepatch4j.agent.tooling.integrations;

import io.livepatch4j.agent.bootstrap.NettyHooks;
import io.livepatch4j.agent.bootstrap.UnitKind;
import io.livepatch4j.agent.bootstrap.Units;
import io.livepatch4j.agent.tooling.advice.UnitAdvice;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Netty 4.1 and 4.2. Event loops: a task submitted from inside a unit carries it, and each task run
 * is a unit. Channel pipelines: each inbound event is a unit, joining the request its channel has open;
 * with Netty's HTTP codec a request is one unit from its HttpRequest to its response's LastHttpContent
 * (or the channel's close), whichever threads run it. A channel's requests are keyed by its pipeline.
 */
final class Netty implements Integration {

    @Override
    public String name() {
        return "Netty 4 event loops, channel pipelines and HTTP codec";
    }

    @Override
    public AgentBuilder install(AgentBuilder builder, TypeGate types) {
        return builder
            .type(types.named("io.netty.util.concurrent.SingleThreadEventExecutor"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(Execute.class).on(namedOneOf("execute", "lazyExecute")
                    .and(takesArguments(Runnable.class))))
                .visit(Advice.to(UnitAdvice.Rejected.class).on(named("reject").and(takesArguments(Runnable.class)))))
            // Every task an event loop runs (safeExecute, the shutdown hooks) goes through runTask.
            .type(types.named("io.netty.util.concurrent.AbstractEventExecutor"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(Task.class)
                .on(named("runTask").and(takesArguments(Runnable.class)))))
            .type(types.named("io.netty.channel.DefaultChannelPipeline"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(Event.class).on(namedOneOf("fireChannelRegistered", "fireChannelUnregistered",
                    "fireChannelActive", "fireExceptionCaught", "fireUserEventTriggered", "fireChannelRead",
                    "fireChannelReadComplete", "fireChannelWritabilityChanged").and(not(isBridge()))))
                .visit(Advice.to(Inactive.class).on(named("fireChannelInactive").and(not(isBridge())))))
            // A decoder hands each decoded message to the next handler through its context.
            .type(types.named("io.netty.channel.AbstractChannelHandlerContext"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(Read.class)
                .on(named("fireChannelRead").and(takesArguments(Object.class)).and(not(isBridge())))))
            .type(types.named("io.netty.handler.codec.http.HttpObjectEncoder"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(Written.class)
                .on(named("write").and(takesArguments(3)))));
    }

    /** SingleThreadEventExecutor.execute and lazyExecute: the task carries the unit, unless it is a scheduled one. */
    public static final class Execute {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.Argument(0) Object task) {
            return NettyHooks.submitting(task);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter boolean outermost) {
            Units.submitted(outermost);
        }
    }

    /** AbstractEventExecutor.runTask: the task runs in the unit it carries, else in one of its own. */
    public static final class Task {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(0) Object task) {
            return Units.enterTask(task, UnitKind.NETTY_TASK);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Units.exitTask(token);
        }
    }

    /** An inbound event enters the pipeline: it joins the channel's open request, else is a unit of its own. */
    public static final class Event {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object pipeline) {
            return Units.enterRequest(pipeline, UnitKind.NETTY_EVENT);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Units.exitTask(token);
        }
    }

    /** The channel became inactive (closed): after its handlers ran, its pending requests hold nothing open. */
    public static final class Inactive {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object pipeline) {
            return Units.enterRequest(pipeline, UnitKind.NETTY_EVENT);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.This Object pipeline, @Advice.Enter Object token) {
            Units.requestsClosed(pipeline);
            Units.exitTask(token);
        }
    }

    /**
     * A handler passes a message on: an HttpRequest (from the HTTP decoder) begins its request's unit,
     * which the pipeline holds open until the response's last content is written; the next handlers
     * run in it, and so do the request's body pieces (HttpContent), decoded in the same read or a later
     * one. Other messages stay in the event's unit (a lookup per hop only for HTTP messages).
     */
    public static final class Read {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.FieldValue("pipeline") Object pipeline, @Advice.Argument(0) Object msg) {
            if (NettyHooks.isRequest(msg)) {
                return Units.openRequest(pipeline, UnitKind.NETTY_REQUEST);
            }
            return NettyHooks.isContent(msg) ? Units.enterRequest(pipeline, UnitKind.NETTY_EVENT) : null;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            if (token != null) {
                Units.exitTask(token);
            }
        }
    }

    /** HttpObjectEncoder.write of a LastHttpContent (or a FullHttpResponse): the response is complete. */
    public static final class Written {
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Argument(0) Object context, @Advice.Argument(1) Object msg) {
            if (NettyHooks.isLast(msg)) {
                Units.requestDone(NettyHooks.pipeline(context));
            }
        }
    }
}
