package io.livepatch4j.agent.tooling.integrations;

import java.util.List;

import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.EXIT_TASK;
import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.hooks;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.SERVER;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.call;

/**
 * Jetty 12's servlet layers (ee10, ee11). A request's later events (an async dispatch, a timeout
 * whose listeners run, an error) run in {@code ServletChannel.handle} on a pool thread, outside
 * {@code Server.handle}: they join the Jetty request's unit, which {@link Jetty} keys by the
 * request's callback and holds open until the response completes. Every async cycle ends in
 * {@code AsyncContextEvent.completed}, also one that timed out or failed with no application code
 * completing it: the hold {@link ServletApi} keeps on its AsyncContext ends there.
 */
final class JettyServlet implements Integration {

    @Override
    public String name() {
        return "Jetty 12 servlet layers (ee10, ee11)";
    }

    @Override
    public void declare(TypeGate types) {
        for (String ee : List.of("ee10", "ee11")) {
            // ServletChannel.handle: an event of the request, in the request's unit while it is open.
            types.weave(hooks("org/eclipse/jetty/" + ee + "/servlet/ServletChannel", List.of(new Hooks.MethodHook("handle",
                Hooks.arguments(0), call(SERVER, "jettyEvent", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.FIELD)
                    .field("_callback"), EXIT_TASK, true)), List.of()));
            // AsyncContextEvent.completed: the async cycle is over.
            types.weave(hooks("org/eclipse/jetty/" + ee + "/servlet/AsyncContextEvent", List.of(new Hooks.MethodHook("completed",
                Hooks.arguments(0), call(SERVER, "requestDone", "(Ljava/lang/Object;)V", Hooks.Source.FIELD)
                    .field("_asyncContext"), null, false)), List.of()));
        }
    }
}
