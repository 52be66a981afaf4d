package io.livepatch4j.agent.tooling.integrations;

import io.livepatch4j.agent.bootstrap.UnitKind;
import io.livepatch4j.agent.bootstrap.Units;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Jetty 12: {@code Server.handle(Request, Response, Callback)} begins a request's unit, which stays
 * open until the request's callback succeeds or fails (the response is complete), on whatever thread.
 */
final class Jetty implements Integration {

    @Override
    public String name() {
        return "Jetty 12";
    }

    @Override
    public AgentBuilder install(AgentBuilder builder) {
        return builder
            .type(named("org.eclipse.jetty.server.Server"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(Handle.class)
                .on(named("handle").and(takesArguments(3)))))
            .type(named("org.eclipse.jetty.server.internal.HttpChannelState$ChannelCallback"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(CallbackDone.class)
                .on(named("succeeded").or(named("failed")))));
    }

    /** Server.handle: the request's unit begins; the callback holds it open. */
    public static final class Handle {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(2) Object callback) {
            Units.enter(UnitKind.JETTY_REQUEST);
            Units.requestOpened(callback);
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
}
