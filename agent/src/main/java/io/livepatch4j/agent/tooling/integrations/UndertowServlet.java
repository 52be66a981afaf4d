package io.livepatch4j.agent.tooling.integrations;

import java.util.List;

import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.hooks;

/**
 * Undertow's servlet layer (javax in 2.2, jakarta in 2.3+). Its AsyncContextImpl fires the
 * listeners of a timed-out request from a task of its own (not through the root handler): that runs
 * in the request's unit, which {@link ServletApi} keys by this AsyncContext. Every async cycle
 * ends in onAsyncComplete, also one that timed out with no application code completing it: the hold
 * ends there.
 */
final class UndertowServlet implements Integration {

    @Override
    public String name() {
        return "Undertow's servlet layer";
    }

    @Override
    public void declare(TypeGate types) {
        types.weave(hooks("io/undertow/servlet/spec/AsyncContextImpl",
            List.of(AsyncCycle.inCycle("onAsyncTimeout", Hooks.arguments(0)),
                AsyncCycle.ends("onAsyncComplete", Hooks.arguments(0))), List.of()));
    }
}
