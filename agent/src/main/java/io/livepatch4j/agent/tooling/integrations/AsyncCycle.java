package io.livepatch4j.agent.tooling.integrations;

import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.EXIT_TASK;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.SERVER;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.call;

/**
 * Hooks for a servlet container's own async context (Tomcat's and Undertow's AsyncContextImpl),
 * keyed like {@link ServletApi}'s hooks by the AsyncContext: events the container runs for an
 * async request belong to the request's unit, and the container's end of the cycle closes it.
 */
final class AsyncCycle {

    /**
     * The AsyncContext classes of containers whose end of the cycle these hooks see: there
     * {@code AsyncContext.complete()} does not end the request's unit ({@link ServletApi}).
     */
    static final java.util.Set<String> ENDED_BY_CONTAINER = java.util.Set.of(
        "org.apache.catalina.core.AsyncContextImpl", "io.undertow.servlet.spec.AsyncContextImpl");

    private static final Hooks.Call EVENT = call(SERVER, "asyncEvent", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.THIS);

    private AsyncCycle() {}

    /** A later event of the request (a timeout, an error, an internal dispatch): it runs in the request's unit. */
    static Hooks.MethodHook inCycle(String method, java.util.function.Predicate<String> takes) {
        return new Hooks.MethodHook(method, takes, EVENT, EXIT_TASK, true);
    }

    /** The container ends the async cycle: what runs here (its listeners) runs in it, and then it is over. */
    static Hooks.MethodHook ends(String method, java.util.function.Predicate<String> takes) {
        return new Hooks.MethodHook(method, takes, EVENT,
            call(SERVER, "requestEnded", "(Ljava/lang/Object;Ljava/lang/Object;)V", Hooks.Source.THIS, Hooks.Source.ENTER), true);
    }
}
