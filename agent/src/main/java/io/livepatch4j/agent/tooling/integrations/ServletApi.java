package io.livepatch4j.agent.tooling.integrations;

import java.util.List;

import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.EXIT_TASK;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.call;

/**
 * The Servlet API, jakarta.servlet (Tomcat 10+, Jetty's ee9/ee10/ee11 layers, Undertow 2.3+) and
 * javax.servlet (Tomcat 9 and older, Jetty's ee8, Undertow 2.2), woven into the API's
 * implementations, which the {@link TypeGate} finds by their supertypes. A request is a unit from the
 * container's first call into a Servlet or Filter until that call returns, or, once it started
 * async, until its async cycle ends: {@code AsyncContext.complete}, the end of a dispatch that does not
 * start async again, or the container's own end of the cycle where the container has one (Tomcat's
 * and Undertow's, in {@link AsyncCycle}: there complete() does not end it, so the listeners the
 * container calls after it still run in it). A dispatch back into the servlet, on any thread, runs
 * in the request's unit. Work the request hands to the container runs in its unit while that is open:
 * the listeners it registers ({@code addListener}, {@code setReadListener}, {@code setWriteListener};
 * Tomcat calls a ReadListener's {@code onAllDataRead} from a socket task, Undertow from an I/O thread),
 * which never hold it open, and a Runnable given to {@code AsyncContext.start}, which carries it to
 * whatever pool the container runs it on. The bootstrap runtime's ServletHooks keeps the state in two
 * request attributes. Should a container end a cycle in a way none of these hooks sees, the key's
 * hold ends when the container drops the AsyncContext and it is collected.
 */
final class ServletApi implements Integration {

    private static final String SERVLET = "io/livepatch4j/agent/bootstrap/ServletHooks";

    private final String pkg;

    /** {@code pkg}: "jakarta.servlet." or "javax.servlet.". */
    ServletApi(String pkg) {
        this.pkg = pkg;
    }

    @Override
    public String name() {
        return "the Servlet API (" + pkg.substring(0, pkg.length() - 1) + ")";
    }

    @Override
    public void declare(TypeGate types) {
        String api = "(L" + pkg.replace('.', '/');
        // Servlet.service, Filter.doFilter: the outermost call of a dispatch begins or joins the request's unit.
        java.util.function.Predicate<String> handles = Hooks.parameters(api + "ServletRequest;" + api.substring(1) + "ServletResponse;");
        Hooks.Call service = call(SERVLET, "service", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.ARG0);
        Hooks.Call serviced = call(SERVLET, "serviced", "(Ljava/lang/Object;Ljava/lang/Object;)V", Hooks.Source.ARG0, Hooks.Source.ENTER);
        types.implementing(any(new Hooks.MethodHook("service", handles, service, serviced, true),
            new Hooks.MethodHook("doFilter", handles, service, serviced, true)), pkg + "Servlet", pkg + "Filter");
        // ServletRequest.startAsync: the request's unit stays open until the async cycle ends.
        types.implementing(any(new Hooks.MethodHook("startAsync", Hooks.any(), null,
            call(SERVLET, "startedAsync", "(Ljava/lang/Object;Ljava/lang/Object;)V", Hooks.Source.THIS, Hooks.Source.RETURN), false)),
            pkg + "ServletRequest");
        types.implementing(any(
            new Hooks.MethodHook("addListener", Hooks.parameters(api + "AsyncListener;"), ServerCalls.REGISTER_ARG0, null, false),
            new Hooks.MethodHook("start", Hooks.parameters("(Ljava/lang/Runnable;)"), ServerCalls.CARRIED_ARG0, null, false)),
            pkg + "AsyncContext");
        // AsyncContext.complete: the async cycle ends (on whatever thread); not in a container that
        // ends the cycle itself, after complete() and after the listeners ran (AsyncCycle): there the
        // unit stays open until then, since its onComplete listeners, which it may call from another
        // thread, belong to the request.
        types.implementing(new Hooks.ClassHooks("", true, AsyncCycle.ENDED_BY_CONTAINER.stream().map(n -> n.replace('.', '/')).toList(),
            List.of(new Hooks.MethodHook("complete", Hooks.arguments(0),
                call(ServerCalls.SERVER, "requestDone", "(Ljava/lang/Object;)V", Hooks.Source.THIS), null, false)), List.of()),
            pkg + "AsyncContext");
        types.extending(any(new Hooks.MethodHook("setReadListener", Hooks.arguments(1), ServerCalls.REGISTER_ARG0, null, false)),
            pkg + "ServletInputStream");
        types.extending(any(new Hooks.MethodHook("setWriteListener", Hooks.arguments(1), ServerCalls.REGISTER_ARG0, null, false)),
            pkg + "ServletOutputStream");
        // A listener's callback: in the request's unit while it is open, else a unit of its own.
        Hooks.Call listener = call(SERVLET, "listener", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.THIS);
        java.util.function.Predicate<String> event = Hooks.parameters(api + "AsyncEvent;)");
        types.implementing(any(new Hooks.MethodHook("onComplete", event, listener, EXIT_TASK, true),
            new Hooks.MethodHook("onTimeout", event, listener, EXIT_TASK, true),
            new Hooks.MethodHook("onError", event, listener, EXIT_TASK, true),
            new Hooks.MethodHook("onStartAsync", event, listener, EXIT_TASK, true)), pkg + "AsyncListener");
        types.implementing(any(new Hooks.MethodHook("onDataAvailable", Hooks.arguments(0), listener, EXIT_TASK, true),
            new Hooks.MethodHook("onAllDataRead", Hooks.arguments(0), listener, EXIT_TASK, true),
            new Hooks.MethodHook("onWritePossible", Hooks.arguments(0), listener, EXIT_TASK, true),
            new Hooks.MethodHook("onError", Hooks.parameters("(Ljava/lang/Throwable;)"), listener, EXIT_TASK, true)),
            pkg + "ReadListener", pkg + "WriteListener");
    }

    /** Hooks for every class the gate finds for an API type. */
    private static Hooks.ClassHooks any(Hooks.MethodHook... methods) {
        return new Hooks.ClassHooks("", true, List.of(), List.of(methods), List.of());
    }
}
