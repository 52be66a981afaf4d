package io.livepatch4j.agent.tooling.integrations;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Undertow's servlet layer (javax in 2.2, jakarta in 2.3+). Its AsyncContextImpl fires the
 * listeners of a timed-out request from a task of its own (not through the root handler): that runs
 * in the request's unit, which {@link JakartaServlet} keys by this AsyncContext. Every async cycle
 * ends in onAsyncComplete, also one that timed out with no application code completing it: the hold
 * ends there.
 */
final class UndertowServlet implements Integration {

    @Override
    public String name() {
        return "Undertow's servlet layer";
    }

    @Override
    public AgentBuilder install(AgentBuilder builder, TypeGate types) {
        return builder
            .type(types.named("io.undertow.servlet.spec.AsyncContextImpl"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(AsyncCycle.InCycle.class).on(named("onAsyncTimeout").and(takesArguments(0))))
                .visit(Advice.to(AsyncCycle.Ends.class).on(named("onAsyncComplete").and(takesArguments(0)))));
    }
}
