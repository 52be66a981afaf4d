package io.livepatch4j.agent.bootstrap;

/** How a unit of work was recognized; status shows it per thread. */
public enum UnitKind {
    /** A task run by a ThreadPoolExecutor or ScheduledThreadPoolExecutor. */
    EXECUTOR_TASK("executor task"),
    /** A ForkJoinTask run by a ForkJoinPool, including CompletableFuture's async stages. */
    FORK_JOIN_TASK("fork/join task"),
    /** The whole run of a virtual thread (JDK 21+). */
    VIRTUAL_THREAD("virtual thread"),
    /** An exchange handled by com.sun.net.httpserver. */
    HTTP_EXCHANGE("com.sun.net.httpserver exchange"),
    /** A request handled by Jetty 12. */
    JETTY_REQUEST("Jetty request"),
    /** A request through the Servlet API (jakarta or javax), until its response or async cycle completes. */
    SERVLET_REQUEST("servlet request"),
    /** An Undertow HttpServerExchange, from the root handler until the exchange completes. */
    UNDERTOW_EXCHANGE("Undertow exchange"),
    /** A method named by the agent's unitOfWork option. */
    CONFIGURED_METHOD("configured method"),
    /** Quiescence.run / Quiescence.call, or the span between two Quiescence.point calls. */
    QUIESCENCE_API("Quiescence API"),
    /** No known unit encloses the call: the outermost call into a patched class is the unit. */
    OUTERMOST_CALL("outermost call into a patched class");

    private final String description;

    UnitKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
