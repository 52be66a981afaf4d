package io.livepatch4j.agent.tooling.integrations;

import io.livepatch4j.agent.bootstrap.UnitKind;
import io.livepatch4j.agent.bootstrap.Units;
import jakarta.servlet.ServletRequest;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The Servlet API, jakarta.servlet (Tomcat 10+, Jetty's ee9/ee10 layers, Undertow 2.3+). A request
 * is a unit from the container's first call into a Servlet or Filter until that call returns, or,
 * once it started async, until its async cycle ends: {@code AsyncContext.complete}, the end of a
 * dispatch that does not start async again, or the container's own end of the cycle where the
 * container has one (Tomcat's and Undertow's, in {@link AsyncCycle}: there complete() does not end
 * it, so the listeners the container calls after it still run in it). A dispatch back into the
 * servlet, on any thread, runs in the request's unit; so do the request's listeners and the
 * Runnables it starts ({@link ServletCallbacks}).
 *
 * <p>Two request attributes carry the state, so it lives and dies with the request (containers clear
 * attributes when they recycle a request): {@value #ACTIVE} marks the outermost Servlet/Filter call
 * of the current dispatch (nested filters, forwards and includes join it); {@value #ASYNC} holds the
 * AsyncContext that keys the request's open unit from startAsync until the cycle ends. The
 * AsyncContext is the key, not the request, because containers reuse request objects. Should a
 * container end a cycle in a way none of these hooks sees, the key's hold ends when the container
 * drops the AsyncContext and it is collected.
 *
 * <p>Advice bodies use the API's interfaces only ({@link JavaxServlet} is the same for javax.servlet);
 * they run woven into the container's classes, whose loader resolves the API.
 */
final class JakartaServlet implements AdvisedIntegration {

    static final String ACTIVE = "io.livepatch4j.unit";
    static final String ASYNC = "io.livepatch4j.async";

    @Override
    public String name() {
        return "the Servlet API (jakarta.servlet)";
    }

    @Override
    public void declare(TypeGate types) {
        declare(types, "jakarta.servlet.");
    }

    @Override
    public AgentBuilder advise(AgentBuilder builder) {
        return advise(builder, "jakarta.servlet.", Service.class, StartAsync.class, Complete.class);
    }

    /** The API's types under {@code pkg} ("jakarta.servlet." or "javax.servlet.") whose implementations get advice: one group per matcher of {@link #advise}. */
    private static String[] handlers(String pkg) {
        return new String[] {pkg + "Servlet", pkg + "Filter"};
    }

    private static String[] listeners(String pkg) {
        return new String[] {pkg + "AsyncListener", pkg + "ReadListener", pkg + "WriteListener"};
    }

    /** The Servlet API's classes under {@code pkg}, for both APIs. */
    static void declare(TypeGate types, String pkg) {
        types.implementing(handlers(pkg));
        types.implementing(pkg + "ServletRequest");
        types.implementing(pkg + "AsyncContext");
        types.extending(pkg + "ServletInputStream");
        types.extending(pkg + "ServletOutputStream");
        types.implementing(listeners(pkg));
    }

    /**
     * The Servlet API's advice for the API under {@code pkg}, with that API's advice classes: both APIs
     * are matched the same way, and only the advice bodies differ, since each is compiled against its
     * own API's types.
     */
    static AgentBuilder advise(AgentBuilder builder, String pkg, Class<?> service, Class<?> startAsync, Class<?> complete) {
        return builder
            .type(ApiTypes.implementing(handlers(pkg)))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(service)
                .on(isPublic().and(named("service").or(named("doFilter")))
                    .and(takesArgument(0, named(pkg + "ServletRequest")))
                    .and(takesArgument(1, named(pkg + "ServletResponse"))))))
            .type(ApiTypes.implementing(pkg + "ServletRequest"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(startAsync)
                .on(named("startAsync"))))
            .type(ApiTypes.implementing(pkg + "AsyncContext"))
            .transform((b, type, loader, module, pd) -> {
                var v = b.visit(Advice.to(ServletCallbacks.Register.class)
                        .on(named("addListener").and(takesArgument(0, named(pkg + "AsyncListener")))))
                    .visit(Advice.to(ServletCallbacks.Start.class)
                        .on(named("start").and(takesArguments(Runnable.class))));
                // A container that ends the cycle itself, after complete() and after the listeners
                // ran (AsyncCycle), keeps the unit open until then: its onComplete listeners, which
                // it may call from another thread, belong to the request.
                return AsyncCycle.ENDED_BY_CONTAINER.contains(type.getName()) ? v
                    : v.visit(Advice.to(complete).on(named("complete").and(takesArguments(0))));
            })
            .type(ApiTypes.extending(pkg + "ServletInputStream"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(ServletCallbacks.Register.class)
                .on(named("setReadListener").and(takesArguments(1)))))
            .type(ApiTypes.extending(pkg + "ServletOutputStream"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(ServletCallbacks.Register.class)
                .on(named("setWriteListener").and(takesArguments(1)))))
            .type(ApiTypes.implementing(listeners(pkg)))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(ServletCallbacks.Called.class)
                .on(isPublic().and(not(isAbstract())).and(named("onComplete").or(named("onTimeout"))
                    .or(named("onError")).or(named("onStartAsync")).or(named("onDataAvailable"))
                    .or(named("onAllDataRead")).or(named("onWritePossible"))))));
    }

    /** Servlet.service, Filter.doFilter: the outermost call of a dispatch begins or joins the request's unit. */
    public static final class Service {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(0) Object request) {
            ServletRequest req = (ServletRequest) request;
            if (req == null || req.getAttribute(ACTIVE) != null) {
                return null;
            }
            req.setAttribute(ACTIVE, Boolean.TRUE);
            return Units.enterRequest(req.getAttribute(ASYNC), UnitKind.SERVLET_REQUEST);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Argument(0) Object request, @Advice.Enter Object token) {
            if (token == null) {
                return;
            }
            try {
                ServletRequest req = (ServletRequest) request;
                req.removeAttribute(ACTIVE);
                Object async = req.getAttribute(ASYNC);
                if (async != null && !req.isAsyncStarted()) {
                    req.removeAttribute(ASYNC);
                    Units.requestDone(async); // the cycle ended with this dispatch
                }
            } finally {
                Units.exitTask(token);
            }
        }
    }

    /**
     * ServletRequest.startAsync: the request's unit stays open until the async cycle ends. Wrappers
     * delegate to the request they wrap, whose advice ran first and set the attribute.
     */
    public static final class StartAsync {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object request, @Advice.Return Object context) {
            ServletRequest req = (ServletRequest) request;
            if (context != null && req.getAttribute(ASYNC) == null) {
                req.setAttribute(ASYNC, context);
                Units.requestOpened(context);
            }
        }
    }

    /** AsyncContext.complete: the async cycle ends (on whatever thread). */
    public static final class Complete {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object context) {
            Units.requestDone(context);
        }
    }
}
