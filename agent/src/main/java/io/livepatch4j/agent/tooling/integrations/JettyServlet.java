package io.livepatch4j.agent.tooling.integrations;

import io.livepatch4j.agent.bootstrap.UnitKind;
import io.livepatch4j.agent.bootstrap.Units;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Jetty 12's servlet layers (ee10, ee11). A request's later events (an async dispatch, a timeout
 * whose listeners run, an error) run in {@code ServletChannel.handle} on a pool thread, outside
 * {@code Server.handle}: they join the Jetty request's unit, which {@link Jetty} keys by the
 * request's callback and holds open until the response completes. Every async cycle ends in
 * {@code AsyncContextEvent.completed}, also one that timed out or failed with no application code
 * completing it: the hold {@link JakartaServlet} keeps on its AsyncContext ends there.
 */
final class JettyServlet implements Integration {

    @Override
    public String name() {
        return "Jetty 12 servlet layers (ee10, ee11)";
    }

    @Override
    public AgentBuilder install(AgentBuilder builder, TypeGate types) {
        return builder
            .type(types.named("org.eclipse.jetty.ee10.servlet.ServletChannel", "org.eclipse.jetty.ee11.servlet.ServletChannel"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(Handle.class)
                .on(named("handle").and(takesArguments(0)))))
            .type(types.named("org.eclipse.jetty.ee10.servlet.AsyncContextEvent", "org.eclipse.jetty.ee11.servlet.AsyncContextEvent"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(CycleEnds.class)
                .on(named("completed").and(takesArguments(0)))));
    }

    /** ServletChannel.handle: an event of the request, in the request's unit while it is open. */
    public static final class Handle {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.FieldValue("_callback") Object callback) {
            return Units.enterRequest(callback, UnitKind.JETTY_REQUEST);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Units.exitTask(token);
        }
    }

    /** AsyncContextEvent.completed: the async cycle is over. */
    public static final class CycleEnds {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("_asyncContext") Object context) {
            Units.requestDone(context);
        }
    }
}
