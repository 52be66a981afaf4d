package io.livepatch4j.agent.bootstrap;

/**
 * The calls the agent weaves into servers' and frameworks' classes (the tooling's integrations,
 * which say where each one goes and why): Jetty, the JDK's HTTP server, Undertow, the servlet
 * containers' async cycles, gRPC, Kafka, Spring, the Quiescence API and the methods named by the
 * {@code unitOfWork} option; and the platform MBean server's first use, where the agent registers
 * its MXBean. As {@link TaskHooks}: woven code has no handler around them, so none
 * ever throws; a token is what an entry call returned, passed back to the exit call.
 */
public final class ServerHooks {

    private ServerHooks() {}

    // Jetty 12

    /** Server.handle(request, response, callback), entered: the request's unit begins; the callback holds it open. */
    public static void jettyHandle(Object response, Object callback) {
        try {
            Units.enter(UnitKind.JETTY_REQUEST);
            Units.requestOpened(callback);
            Units.register(response); // its write completions belong to the request
        } catch (Throwable e) {
            // never into the server's code
        }
    }

    /** ... left, normally or not. */
    public static void exit() {
        try {
            Units.exit();
        } catch (Throwable e) {
            // never into the server's code
        }
    }

    /**
     * A job handed to a Jetty thread pool ({@code QueuedThreadPool}, {@code VirtualThreadPool},
     * {@code ExecutorThreadPool}) or to a context's {@code execute}: the application's work is wrapped
     * to carry the unit it was handed over in ({@link CarriedTask}), as on a JDK executor; the server's
     * own jobs (its acceptors, selectors and connections' work: classes of Jetty's packages) are
     * returned as they are, and carry nothing.
     */
    public static Runnable jettyJob(Runnable job) {
        try {
            return job == null || job.getClass().getName().startsWith("org.eclipse.jetty.") ? job : CarriedTask.of(job);
        } catch (Throwable e) {
            return job;
        }
    }

    /** Registered work (a Jetty response's write completion, an invoker's task), run: in its request's unit while that is open. */
    public static Object jettyRegistered(Object work) {
        try {
            return Units.joinRegistered(work, UnitKind.JETTY_REQUEST);
        } catch (Throwable e) {
            return null;
        }
    }

    /** Jetty's ServletChannel.handle: an event of the request keyed by its callback. */
    public static Object jettyEvent(Object callback) {
        try {
            return Units.enterRequest(callback, UnitKind.JETTY_REQUEST);
        } catch (Throwable e) {
            return null;
        }
    }

    // Helidon SE 4: a connection's loop is a poll loop (PollHooks)

    /** A connection's read of its next request's prologue, or of a WebSocket or HTTP/2 frame, entered: the unit the last read began ends. */
    public static void helidonReading() {
        try {
            PollHooks.polling(PollHooks.Loop.HELIDON_CONNECTION);
        } catch (Throwable e) {
            // never into the server's code
        }
    }

    /** A connection's read of a request's headers returned: the request's unit begins, until the connection's next read. */
    public static void helidonRequestRead() {
        try {
            PollHooks.polled(PollHooks.Loop.HELIDON_CONNECTION, UnitKind.HELIDON_REQUEST);
        } catch (Throwable e) {
            // never into the server's code
        }
    }

    /** A WebSocket connection's read of a frame returned: the frame's unit begins, until the connection's next read. */
    public static void helidonFrameRead() {
        try {
            PollHooks.polled(PollHooks.Loop.HELIDON_CONNECTION, UnitKind.HELIDON_WEBSOCKET_FRAME);
        } catch (Throwable e) {
            // never into the server's code
        }
    }

    /** A connection's handling left, normally or not: the unit its last read began ends. */
    public static void helidonClosed() {
        try {
            PollHooks.closing(PollHooks.Loop.HELIDON_CONNECTION);
        } catch (Throwable e) {
            // never into the server's code
        }
    }

    // Requests keyed by an object (an exchange, a callback, an AsyncContext, a call)

    /** The request keyed by {@code request} is complete. */
    public static void requestDone(Object request) {
        try {
            Units.requestDone(request);
        } catch (Throwable e) {
            // never into the server's code
        }
    }

    /** The request keyed by {@code request} began inside the current unit, which it holds open. */
    public static void requestOpened(Object request) {
        try {
            Units.requestOpened(request);
        } catch (Throwable e) {
            // never into the server's code
        }
    }

    // com.sun.net.httpserver

    /** ServerImpl.Exchange.run, entered: one exchange. */
    public static void httpExchange() {
        try {
            Units.enter(UnitKind.HTTP_EXCHANGE);
        } catch (Throwable e) {
            // never into the JDK's code
        }
    }

    // Undertow

    /** Connectors.executeRootHandler(handler, exchange): the first run opens the exchange's unit, later runs join it. */
    public static Object undertowRootHandler(Object exchange) {
        try {
            boolean open = Units.requestOpen(exchange);
            Object token = Units.enterRequest(exchange, UnitKind.UNDERTOW_EXCHANGE);
            if (!open) {
                Units.requestOpened(exchange);
            }
            return token;
        } catch (Throwable e) {
            return null;
        }
    }

    /** An exchange's later work (the sender's callback): in its unit while it is open. */
    public static Object undertowEvent(Object exchange) {
        try {
            return Units.enterRequest(exchange, UnitKind.UNDERTOW_EXCHANGE);
        } catch (Throwable e) {
            return null;
        }
    }

    /** An I/O thread's task: in the unit it was registered in while that is open. */
    public static Object undertowRegistered(Object task) {
        try {
            return Units.joinRegistered(task, UnitKind.UNDERTOW_EXCHANGE);
        } catch (Throwable e) {
            return null;
        }
    }

    /** A pool task of a server's own executor (Undertow's EnhancedQueueExecutor), run: an executor task. */
    public static Object executorTask(Object task) {
        try {
            return Units.enterTask(task, UnitKind.EXECUTOR_TASK);
        } catch (Throwable e) {
            return null;
        }
    }

    // Servlet containers' async cycles (Tomcat's and Undertow's AsyncContextImpl, Jetty's AsyncContextEvent)

    /** An event of the async request keyed by {@code context} (a timeout, an error, a dispatch): in its unit. */
    public static Object asyncEvent(Object context) {
        try {
            return Units.enterRequest(context, UnitKind.SERVLET_REQUEST);
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * The request keyed by {@code request} ends (a container ends an async cycle, a gRPC stream
     * closed) after what ran in it here (its listeners), which {@code token} began.
     */
    public static void requestEnded(Object request, Object token) {
        try {
            Units.requestDone(request);
        } catch (Throwable e) {
            // never into the server's code
        }
        TaskHooks.exitTask(token);
    }

    // gRPC

    /** ServerTransportListenerImpl.startWrappedCall(name, parameters, headers): the call's own unit begins, held open by its ServerCallImpl. */
    public static Object grpcStart(Object parameters) {
        try {
            return Units.openRequest(Fields.get(parameters, "call"), UnitKind.GRPC_CALL);
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * ... left: a call that failed to start (an interceptor threw) is closed by gRPC through its
     * stream, never through ServerCall.close: it is complete here.
     */
    public static void grpcStarted(Object token, Throwable thrown, Object parameters) {
        if (thrown != null) {
            try {
                Units.requestDone(Fields.get(parameters, "call"));
            } catch (Throwable e) {
                // never into gRPC's code
            }
        }
        TaskHooks.exitTask(token);
    }

    /** A listener callback of the call: in its unit while it is open. */
    public static Object grpcEvent(Object call) {
        try {
            return Units.enterRequest(call, UnitKind.GRPC_CALL);
        } catch (Throwable e) {
            return null;
        }
    }

    // Kafka

    /** Consumer.poll, entered (PollHooks.polling). */
    public static void polling() {
        try {
            PollHooks.polling(PollHooks.Loop.KAFKA_CONSUMER);
        } catch (Throwable e) {
            // never into the client's code
        }
    }

    /** Consumer.poll, left, normally or not: the returned batch's unit begins. */
    public static void polled() {
        try {
            PollHooks.polled(PollHooks.Loop.KAFKA_CONSUMER, UnitKind.KAFKA_POLL_BATCH);
        } catch (Throwable e) {
            // never into the client's code
        }
    }

    /** Consumer.close, entered. */
    public static void closing() {
        try {
            PollHooks.closing(PollHooks.Loop.KAFKA_CONSUMER);
        } catch (Throwable e) {
            // never into the client's code
        }
    }

    // Spring, AsyncContext.start

    /** A Runnable handed to a thread of its own: it carries the submitting unit ({@link CarriedTask}). */
    public static Runnable carried(Runnable task) {
        try {
            return CarriedTask.of(task);
        } catch (Throwable e) {
            return task;
        }
    }

    // The Quiescence API and the unitOfWork option

    /** Quiescence.run and Quiescence.call, entered. */
    public static void quiescenceUnit() {
        try {
            Units.enter(UnitKind.QUIESCENCE_API);
        } catch (Throwable e) {
            // never into the application's code
        }
    }

    /** A method named by the unitOfWork option, entered. */
    public static void configuredUnit() {
        try {
            Units.enter(UnitKind.CONFIGURED_METHOD);
        } catch (Throwable e) {
            // never into the application's code
        }
    }

    /** Quiescence.point. */
    public static void point() {
        try {
            Units.point();
        } catch (Throwable e) {
            // never into the application's code
        }
    }

    /** Quiescence.generation, returned: the running generation replaces the API's answer without the agent. */
    public static long generation() {
        try {
            return Units.generation();
        } catch (Throwable e) {
            return 0;
        }
    }

    // java.lang.management

    /** What runs once when the platform MBean server is first handed out: the agent registers its MXBean. */
    private static final java.util.concurrent.atomic.AtomicReference<Runnable> MBEAN_SERVER_READY =
        new java.util.concurrent.atomic.AtomicReference<>();

    /** Sets what {@link #mbeanServerReady} runs, once. */
    public static void whenMBeanServerReady(Runnable action) {
        MBEAN_SERVER_READY.set(action);
    }

    /**
     * ManagementFactory.getPlatformMBeanServer, returned (a synchronized method: other callers wait
     * until the action is done, so they find the agent's MXBean there); the agent's start calls it too,
     * in case no one asked, holding the same lock (StartInBackground.mbeanServerReady). The action
     * runs once, on whichever thread comes first.
     */
    public static void mbeanServerReady() {
        Runnable action = MBEAN_SERVER_READY.getAndSet(null);
        if (action != null) {
            try {
                action.run();
            } catch (Throwable e) {
                // never into the JDK's code
            }
        }
    }

    /** Quiescence.agentLoaded, returned: true replaces the API's answer without the agent. */
    public static boolean agentLoaded() {
        return true;
    }
}
