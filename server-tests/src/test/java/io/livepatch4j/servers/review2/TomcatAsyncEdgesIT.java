package io.livepatch4j.servers.review2;

import io.livepatch4j.servers.harness.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Review 2, Tomcat 11: async servlet requests stepped so that a patch lands between their halves
 * (see {@link ReviewServlet}). Every one must answer "v1+v1".
 */
@Timeout(120)
class TomcatAsyncEdgesIT {

    static Stepped server;

    @BeforeAll
    static void start() throws Exception {
        server = new Stepped("tomcat11", ReviewTomcat.class.getName(), Mode.PREPARED);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @AfterEach
    void reset() {
        server.reset();
    }

    @Test
    void asyncContextStart() throws Exception {
        assertEquals("v1+v1", server.step("start"));
    }

    @Test
    void poolThreadCompletes() throws Exception {
        assertEquals("v1+v1", server.step("pool"));
    }

    @Test
    void onCompleteAfterPoolThreadCompletes() throws Exception {
        assertEquals("v1+v1", server.step("oncomplete-pool"));
    }

    /**
     * Break: the request's AsyncListener.onComplete runs the new code. complete() (Units.requestDone
     * in the Servlet API hook on complete()) ends the request's hold at once; Tomcat then fires onComplete on a
     * container thread, in a SocketProcessor task that carries nothing (the application's completer
     * thread is in no unit), so Tomcat.CycleEnds finds no open unit and the listener runs in a fresh
     * executor task of the new generation.
     */
    @Test
    void onCompleteAfterApplicationThreadCompletes() throws Exception {
        assertEquals("v1+v1", server.step("oncomplete-thread"));
    }

    @Test
    void dispatchFromApplicationThread() throws Exception {
        assertEquals("v1+v1", server.step("dispatch-thread"));
    }

    /**
     * Break: Servlet 3.1 non-blocking input. The ReadListener's onAllDataRead runs the new code: Tomcat
     * calls read listeners from CoyoteAdapter.asyncDispatch in a SocketProcessor task that the poller
     * (in no unit) submitted, so it carries nothing, and none of Tomcat's hooks (timeout,
     * setErrorState, doInternalDispatch, fireOnComplete) is on that path: the listener runs in a fresh
     * executor task of G1 while the request's unit (G0, held by its AsyncContext) is still open.
     * Seen: "http-nio-auto-1-exec-4 in unit: executor task -> v1+v2".
     */
    @Test
    void nonBlockingReadListener() throws Exception {
        assertEquals("v1+v1", server.stepPost());
    }

    /**
     * Break: Servlet 3.1 non-blocking output; same root cause as {@link #nonBlockingReadListener}: the
     * last onWritePossible, which Tomcat calls from an uncarried SocketProcessor task once the client
     * reads, runs in a fresh executor task of G1. Seen: "http-nio-auto-1-exec-6 in unit: executor task -> v1+v2".
     */
    @Test
    void nonBlockingWriteListener() throws Exception {
        assertEquals("v1+v1", server.stepSlowReader());
    }
}
