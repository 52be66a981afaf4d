package io.livepatch4j.agent.bootstrap;

/** How a unit of work was recognized; status shows it per thread. */
public enum UnitKind {
    /** A task run by a ThreadPoolExecutor or ScheduledThreadPoolExecutor. */
    EXECUTOR_TASK("executor task"),
    /** A ForkJoinTask run by a ForkJoinPool, including CompletableFuture's async stages. */
    FORK_JOIN_TASK("fork/join task"),
    /** A CompletableFuture dependent stage run by the thread that completed the stage before it. */
    COMPLETION_STAGE("CompletableFuture stage"),
    /** A task a serial queue's runner ran (Vert.x's TaskQueue, Guava's SequentialExecutor). */
    QUEUED_TASK("task of a serial queue"),
    /** A java.util.Timer task. */
    TIMER_TASK("timer task"),
    /** The whole run of a virtual thread (JDK 21+). */
    VIRTUAL_THREAD("virtual thread"),
    /** An exchange handled by com.sun.net.httpserver. */
    HTTP_EXCHANGE("com.sun.net.httpserver exchange"),
    /** A request handled by Jetty 12. */
    JETTY_REQUEST("Jetty request"),
    /** An HTTP/1 request served by Helidon SE 4's WebServer, from the end of its headers to the drain of its body or the connection's next read. */
    HELIDON_REQUEST("Helidon request"),
    /** A WebSocket frame (a message or a part of one) served by Helidon SE 4's WebServer, from its read to the connection's next read. */
    HELIDON_WEBSOCKET_FRAME("Helidon WebSocket frame"),
    /** A task run by a Netty event loop (SingleThreadEventExecutor), scheduled ones included. */
    NETTY_TASK("Netty event loop task"),
    /** An inbound event of a Netty channel pipeline that belongs to no open request (a read, an activation, a close). */
    NETTY_EVENT("Netty channel event"),
    /** An HTTP request on a Netty channel, from its HttpRequest to its response's LastHttpContent. */
    NETTY_REQUEST("Netty HTTP request"),
    /** A gRPC-java server call, from its start until ServerCall.close or its cancellation. */
    GRPC_CALL("gRPC server call"),
    /** The records one Kafka Consumer.poll returned, handled until the thread's next poll. */
    KAFKA_POLL_BATCH("Kafka poll batch"),
    /** A request through the Servlet API (jakarta or javax), until its response or async cycle completes. */
    SERVLET_REQUEST("servlet request"),
    /** An Undertow HttpServerExchange, from the root handler until the exchange completes. */
    UNDERTOW_EXCHANGE("Undertow exchange"),
    /** A method named by the agent's unitOfWork option. */
    CONFIGURED_METHOD("configured method"),
    /** Quiescence.run / Quiescence.call, or the span between two Quiescence.point calls. */
    QUIESCENCE_API("Quiescence API"),
    /**
     * No known unit encloses the call, but a call from server code into application code does: that
     * call is the unit (the general rule for servers the agent does not know; see AppCalls).
     */
    APPLICATION_CALL("call from server code into application code"),
    /** The agent running a patch's new static initializer, transformer or callback, in the patch's generation. */
    PATCH_LIFECYCLE("the agent running a patch's initializer, transformer or callback"),
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
