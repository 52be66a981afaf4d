package io.livepatch4j.servers.review2;

import io.livepatch4j.servers.harness.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Review 2, Undertow 2.3 servlet: async servlet requests stepped so that a patch lands between their halves
 * (see {@link ReviewServlet}). Every one must answer "v1+v1".
 */
@Timeout(120)
class UndertowAsyncEdgesIT {

    static Stepped server;

    @BeforeAll
    static void start() throws Exception {
        server = new Stepped("undertow-servlet", ReviewUndertow.class.getName(), Mode.PREPARED);
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
     * Break: the request's AsyncListener.onComplete runs the new code, although the Undertow exchange
     * (whose hold ends only when the exchange completes) is still open. complete() from a thread in no
     * unit makes Undertow run onAsyncCompleteAndRespond as a task on an XNIO worker (AsyncContextImpl.doDispatch,
     * addAsyncTask; seen: "XNIO-1 task-4", unit "executor task") that never goes through Connectors.executeRootHandler, so it does not join the
     * exchange's unit; UndertowServlet.CycleEnds looks the unit up by the AsyncContext, whose hold
     * the Servlet API hook on complete() already took: the listener runs in a fresh unit of G1.
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
     * Break: Servlet 3.1 non-blocking input. The ReadListener's onAllDataRead runs the new code on the
     * XNIO I/O thread, called from the channel's read listener, not through
     * Connectors.executeRootHandler: the thread is in no unit, so Pair.second() begins an "outermost
     * call" unit of G1 while the exchange (G0) is still open. Seen: "XNIO-1 I/O-2 in unit: none -> v1+v2".
     */
    @Test
    void nonBlockingReadListener() throws Exception {
        assertEquals("v1+v1", server.stepPost());
    }

    /**
     * Break: Servlet 3.1 non-blocking output; same root cause as {@link #nonBlockingReadListener}: the
     * last onWritePossible runs on the XNIO I/O thread's write listener, in no unit. Seen: "XNIO-1
     * I/O-1 in unit: none -> v1+v2".
     */
    @Test
    void nonBlockingWriteListener() throws Exception {
        assertEquals("v1+v1", server.stepSlowReader());
    }
}
