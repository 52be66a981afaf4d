package io.livepatch4j.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The calls woven into the Servlet API's implementations (the tooling's ServletApi integration says
 * where), for both APIs, jakarta.servlet and javax.servlet. A request is a unit from the container's
 * first call into a Servlet or Filter until that call returns, or, once it started async, until its
 * async cycle ends.
 *
 * <p>Two request attributes carry the state, so it lives and dies with the request (containers clear
 * attributes when they recycle a request): {@value #ACTIVE} marks the outermost Servlet/Filter call
 * of the current dispatch (nested filters, forwards and includes join it); {@value #ASYNC} holds the
 * AsyncContext that keys the request's open unit from startAsync until the cycle ends. The
 * AsyncContext is the key, not the request, because containers reuse request objects.
 *
 * <p>This runtime is in the bootstrap loader and cannot name the API's types: the request's methods
 * are called through method handles found once per request class, on the API's own
 * {@code ServletRequest} interface (public, so the public lookup reaches it in any loader). As every
 * woven hook, none of these throws.
 */
public final class ServletHooks {

    static final String ACTIVE = "io.livepatch4j.unit";
    static final String ASYNC = "io.livepatch4j.async";

    private ServletHooks() {}

    /**
     * The ServletRequest methods the hooks call, for one request class; null fields when it is no
     * ServletRequest. {@code isAsyncStarted} is null for a Servlet 2.5 request, which cannot start
     * async: its units end when the dispatch returns.
     */
    private record Request(MethodHandle getAttribute, MethodHandle setAttribute, MethodHandle removeAttribute,
                           MethodHandle isAsyncStarted) {

        static final Request NONE = new Request(null, null, null, null);

        static Request of(Class<?> type) {
            Class<?> api = apiInterface(type);
            if (api == null) {
                return NONE;
            }
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                return new Request(
                    lookup.findVirtual(api, "getAttribute", MethodType.methodType(Object.class, String.class))
                        .asType(MethodType.methodType(Object.class, Object.class, String.class)),
                    lookup.findVirtual(api, "setAttribute", MethodType.methodType(void.class, String.class, Object.class))
                        .asType(MethodType.methodType(void.class, Object.class, String.class, Object.class)),
                    lookup.findVirtual(api, "removeAttribute", MethodType.methodType(void.class, String.class))
                        .asType(MethodType.methodType(void.class, Object.class, String.class)),
                    asyncStarted(lookup, api));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return NONE;
            }
        }

        private static MethodHandle asyncStarted(MethodHandles.Lookup lookup, Class<?> api) {
            try {
                return lookup.findVirtual(api, "isAsyncStarted", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            } catch (ReflectiveOperationException e) {
                return null; // Servlet 2.5
            }
        }

        private static Class<?> apiInterface(Class<?> type) {
            for (Class<?> t = type; t != null; t = t.getSuperclass()) {
                for (Class<?> i : t.getInterfaces()) {
                    Class<?> found = i.getName().equals("jakarta.servlet.ServletRequest")
                        || i.getName().equals("javax.servlet.ServletRequest") ? i : apiInterface(i);
                    if (found != null) {
                        return found;
                    }
                }
            }
            return null;
        }

        Object attribute(Object request, String name) throws Throwable {
            return (Object) getAttribute.invokeExact(request, name);
        }

        void attribute(Object request, String name, Object value) throws Throwable {
            setAttribute.invokeExact(request, name, value);
        }

        void remove(Object request, String name) throws Throwable {
            removeAttribute.invokeExact(request, name);
        }

        boolean asyncStarted(Object request) throws Throwable {
            return isAsyncStarted != null && (boolean) isAsyncStarted.invokeExact(request);
        }
    }

    private static final ClassValue<Request> REQUESTS = new ClassValue<>() {
        @Override
        protected Request computeValue(Class<?> type) {
            return Request.of(type);
        }
    };

    private static Request request(Object request) {
        if (request == null) {
            return null;
        }
        Request r = REQUESTS.get(request.getClass());
        return r == Request.NONE ? null : r;
    }

    /** Servlet.service, Filter.doFilter, entered: the outermost call of a dispatch begins or joins the request's unit. */
    public static Object service(Object request) {
        try {
            Request r = request(request);
            if (r == null || r.attribute(request, ACTIVE) != null) {
                return null;
            }
            r.attribute(request, ACTIVE, Boolean.TRUE);
            return Units.enterRequest(r.attribute(request, ASYNC), UnitKind.SERVLET_REQUEST);
        } catch (Throwable e) {
            return null;
        }
    }

    /** ... left, normally or not: a dispatch that did not start async again ends the cycle it belonged to. */
    public static void serviced(Object request, Object token) {
        if (token == null) {
            return;
        }
        try {
            Request r = request(request);
            if (r != null) {
                r.remove(request, ACTIVE);
                Object async = r.attribute(request, ASYNC);
                if (async != null && !r.asyncStarted(request)) {
                    r.remove(request, ASYNC);
                    Units.requestDone(async); // the cycle ended with this dispatch
                }
            }
        } catch (Throwable e) {
            // never into the container's code
        } finally {
            TaskHooks.exitTask(token);
        }
    }

    /**
     * ServletRequest.startAsync, returned: the request's unit stays open until the async cycle ends.
     * Wrappers delegate to the request they wrap, whose hook ran first: the cycle is opened once per
     * AsyncContext, also through a wrapper that keeps attributes of its own (it gets the attribute too).
     */
    public static void startedAsync(Object request, Object context) {
        try {
            Request r = request(request);
            if (r != null && context != null && r.attribute(request, ASYNC) == null) {
                r.attribute(request, ASYNC, context);
                if (!Units.requestOpen(context)) {
                    Units.requestOpened(context);
                }
            }
        } catch (Throwable e) {
            // never into the container's code
        }
    }

    /** A listener's callback (AsyncListener, ReadListener, WriteListener): in the request's unit while it is open, else a unit of its own. */
    public static Object listener(Object listener) {
        try {
            return Units.enterRegistered(listener, UnitKind.SERVLET_REQUEST);
        } catch (Throwable e) {
            return null;
        }
    }
}
