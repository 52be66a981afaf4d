package io.livepatch4j.agent.tooling.integrations;

import java.util.List;

import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.hooks;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.SERVER;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.call;

/**
 * Helidon SE 4's WebServer. Its listener starts a virtual thread per connection (its own
 * {@code ThreadPerTaskExecutor}, used for nothing else), and that thread's {@code ConnectionHandler}
 * loops over the connection: on a kept-alive one, request after request for as long as the client
 * keeps it. As a virtual thread's run, the loop would be one unit of work per connection, and a
 * transition would wait for every kept-alive connection to close.
 * <ul>
 *   <li>The loop is a runner ({@code QueueRunner}, ExecutorHooks#serverWorkStarting): what the executor
 *   starts for it carries nothing and its run is no unit. So is the rest of the connection's work on
 *   that thread (reading the next request, an HTTP/2 connection's frame loop, a WebSocket's).</li>
 *   <li>Each HTTP/1 request is a unit: {@code Http1Connection.route}, from the routing of its prologue
 *   and headers to the end of its entity (Helidon's handlers are blocking: the response is complete
 *   when the route returns). Requests on other loops find their own rules: an HTTP/2 stream runs as
 *   a task of its own, and a WebSocket listener's call is an application call (AppCalls).</li>
 * </ul>
 * The same names hold from Helidon 4.0 to 4.5. With a listener executor of another kind the loop is a
 * unit as before: nothing mixes, and a transition waits for the connection.
 */
final class Helidon implements Integration {

    @Override
    public String name() {
        return "Helidon SE 4";
    }

    @Override
    public void declare(TypeGate types) {
        types.weave(hooks("io/helidon/webserver/ThreadPerTaskExecutor", List.of(new Hooks.MethodHook("execute",
            Hooks.arguments(1), call(ServerCalls.EXECUTOR, "serverWorkStarting", "()Ljava/lang/Object;"),
            JdkExecutors.HANDED_OVER, true)), List.of()));
        types.weave(hooks("io/helidon/webserver/http1/Http1Connection", List.of(new Hooks.MethodHook("route", Hooks.any(),
            call(SERVER, "helidonRequest", "()V"), call(SERVER, "exit", "()V"), true)), List.of()));
    }
}
