package io.livepatch4j.agent.tooling.integrations;

import io.livepatch4j.agent.bootstrap.UnitKind;
import io.livepatch4j.agent.bootstrap.Units;
import javax.servlet.ServletRequest;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * The Servlet API, javax.servlet (Tomcat 9 and older, Jetty's ee8 layer, Undertow 2.2): the same
 * rules and request attributes as {@link JakartaServlet}, against the javax names.
 */
final class JavaxServlet implements AdvisedIntegration {

    static final String ACTIVE = JakartaServlet.ACTIVE;
    static final String ASYNC = JakartaServlet.ASYNC;

    @Override
    public String name() {
        return "the Servlet API (javax.servlet)";
    }

    @Override
    public void declare(TypeGate types) {
        JakartaServlet.declare(types, "javax.servlet.");
    }

    @Override
    public AgentBuilder advise(AgentBuilder builder) {
        return JakartaServlet.advise(builder, "javax.servlet.", Service.class, StartAsync.class, Complete.class);
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
