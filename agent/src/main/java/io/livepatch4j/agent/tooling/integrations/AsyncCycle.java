package io.livepatch4j.agent.tooling.integrations;

import io.livepatch4j.agent.bootstrap.UnitKind;
import io.livepatch4j.agent.bootstrap.Units;
import net.bytebuddy.asm.Advice;

/**
 * Advice for a servlet container's own async context (Tomcat's and Undertow's AsyncContextImpl),
 * keyed like {@link JakartaServlet}'s hooks by the AsyncContext: events the container runs for an
 * async request belong to the request's unit, and the container's end of the cycle closes it.
 */
final class AsyncCycle {

    /**
     * The AsyncContext classes of containers whose end of the cycle these advices hook: there
     * {@code AsyncContext.complete()} does not end the request's unit ({@link JakartaServlet}).
     */
    static final java.util.Set<String> ENDED_BY_CONTAINER = java.util.Set.of(
        "org.apache.catalina.core.AsyncContextImpl", "io.undertow.servlet.spec.AsyncContextImpl");

    private AsyncCycle() {}

    /** A later event of the request (a timeout, an error, an internal dispatch): it runs in the request's unit. */
    public static final class InCycle {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object context) {
            return Units.enterRequest(context, UnitKind.SERVLET_REQUEST);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Units.exitTask(token);
        }
    }

    /** The container ends the async cycle: what runs here (its listeners) runs in it, and then it is over. */
    public static final class Ends {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object context) {
            return Units.enterRequest(context, UnitKind.SERVLET_REQUEST);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.This Object context, @Advice.Enter Object token) {
            Units.requestDone(context);
            Units.exitTask(token);
        }
    }
}
