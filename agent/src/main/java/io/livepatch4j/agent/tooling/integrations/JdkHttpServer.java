package io.livepatch4j.agent.tooling.integrations;

import io.livepatch4j.agent.bootstrap.UnitKind;
import io.livepatch4j.agent.bootstrap.Units;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code com.sun.net.httpserver}: an exchange is a unit from {@code ServerImpl.Exchange.run} until it
 * is closed or its response body is written in full, on whatever thread that happens.
 */
final class JdkHttpServer implements Integration {

    @Override
    public String name() {
        return "com.sun.net.httpserver";
    }

    @Override
    public AgentBuilder install(AgentBuilder builder, TypeGate types) {
        return builder
            .type(types.named("sun.net.httpserver.ServerImpl$Exchange"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(Run.class)
                .on(named("run").and(takesArguments(0)))))
            .type(types.named("sun.net.httpserver.ExchangeImpl"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(Opened.class).on(isConstructor()))
                .visit(Advice.to(Closed.class).on(named("close").and(takesArguments(0)))))
            .type(types.named("sun.net.httpserver.WriteFinishedEvent"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(Written.class)
                .on(isConstructor().and(takesArguments(1)))));
    }

    /** ServerImpl.Exchange.run handles one exchange. */
    public static final class Run {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            Units.enter(UnitKind.HTTP_EXCHANGE);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            Units.exit();
        }
    }

    /** ExchangeImpl is created inside the exchange's unit, which stays open until the exchange completes. */
    public static final class Opened {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object exchange) {
            Units.requestOpened(exchange);
        }
    }

    /** ExchangeImpl.close: the exchange is complete. */
    public static final class Closed {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object exchange) {
            Units.requestDone(exchange);
        }
    }

    /** WriteFinishedEvent(ExchangeImpl): the response was written in full. */
    public static final class Written {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object exchange) {
            Units.requestDone(exchange);
        }
    }
}
