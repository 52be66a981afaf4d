package io.livepatch4j.agent.tooling.integrations;

import io.livepatch4j.agent.bootstrap.UnitKind;
import io.livepatch4j.agent.bootstrap.Units;
import io.livepatch4j.agent.tooling.advice.UnitAdvice;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.MemberSubstitution;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Jetty 12: {@code Server.handle(Request, Response, Callback)} begins a request's unit, which stays
 * open until the request's callback succeeds or fails (the response is complete), on whatever thread.
 * A core handler's asynchronous work runs on other threads, outside {@code Server.handle}: the
 * callback given to {@code Request.demand} (the rest of the body arrived) and the completion of a
 * {@code Response.write} (a slow client read it). Both are registered work: they run in the request's
 * unit while it is open (the read and write invokers' tasks, run by {@code SerializedInvoker}'s links
 * or an {@code Invocable.ReadyTask}, and the response's own completion).
 */
final class Jetty implements Integration {

    @Override
    public String name() {
        return "Jetty 12";
    }

    @Override
    public AgentBuilder install(AgentBuilder builder, TypeGate types) {
        return builder
            .type(types.named("org.eclipse.jetty.server.Server"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(Handle.class)
                .on(named("handle").and(takesArguments(3)))))
            .type(types.named("org.eclipse.jetty.server.internal.HttpChannelState$ChannelCallback"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(CallbackDone.class)
                .on(named("succeeded").or(named("failed")))))
            .type(types.named("org.eclipse.jetty.server.internal.HttpChannelState$ChannelRequest"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(UnitAdvice.Register.class)
                .on(named("demand").and(takesArguments(Runnable.class)))))
            .type(types.named("org.eclipse.jetty.server.internal.HttpChannelState$ChannelResponse"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(Registered.class)
                .on(named("succeeded").and(takesArguments(0)).or(named("failed").and(takesArguments(1))))))
            .type(types.named("org.eclipse.jetty.util.thread.Invocable$ReadyTask"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(ReadyTask.class)
                .on(named("run").and(takesArguments(0)))))
            // A SerializedInvoker's link runs its tasks (and the ones queued behind it) itself.
            .type(types.named("org.eclipse.jetty.util.thread.SerializedInvoker$Link"))
            .transform((b, type, loader, module, pd) -> b.visit(MemberSubstitution.relaxed()
                .method(named("run").and(isDeclaredBy(Runnable.class)).and(takesArguments(0)))
                .replaceWith(JdkExecutors.hook("runInvokerTask", Runnable.class))
                .on(named("run").and(takesArguments(0)))));
    }

    /** Server.handle: the request's unit begins; the callback holds it open. */
    public static final class Handle {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(1) Object response, @Advice.Argument(2) Object callback) {
            Units.enter(UnitKind.JETTY_REQUEST);
            Units.requestOpened(callback);
            Units.register(response); // its write completions belong to the request
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            Units.exit();
        }
    }

    /** The request's callback succeeded or failed: the request is complete. */
    public static final class CallbackDone {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object callback) {
            Units.requestDone(callback);
        }
    }

    /** ChannelResponse.succeeded/failed: a write of the response completed, on whatever thread. */
    public static final class Registered {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object response) {
            return Units.joinRegistered(response, UnitKind.JETTY_REQUEST);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Units.exitTask(token);
        }
    }

    /** Invocable.ReadyTask.run: a task of an invoker, a request's demand callback among others. */
    public static final class ReadyTask {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.FieldValue("task") Object task) {
            return Units.joinRegistered(task, UnitKind.JETTY_REQUEST);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Units.exitTask(token);
        }
    }
}
