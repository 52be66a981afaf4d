package io.livepatch4j.servers.review2;

import io.livepatch4j.servers.harness.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Review 2, Jetty 12 ee10: async servlet requests stepped so that a patch lands between their halves
 * (see {@link ReviewServlet}). Every one must answer "v1+v1".
 */
@Timeout(120)
class JettyAsyncEdgesIT {

    static Stepped server;

    @BeforeAll
    static void start() throws Exception {
        server = new Stepped("jetty12-ee10", ReviewJetty.class.getName(), Mode.PREPARED);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @AfterEach
    void reset() {
        server.reset();
    }

    /**
     * Break: AsyncContext.start(Runnable), the Servlet API's own way to run a request's async work,
     * runs the new code. Jetty runs the Runnable on its QueuedThreadPool
     * (ServletScopedContext.execute), which no integration captures: the pool thread is in no unit,
     * so Pair.second() begins an "outermost call" unit of the current generation while the Jetty
     * request (held open by its callback) pinned G0. (Tomcat and Undertow hand it to pools the agent
     * captures: TomcatAsyncEdgesIT and UndertowAsyncEdgesIT pass this case.)
     */
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

    /** Holds on Jetty: the COMPLETE action runs in ServletChannel.handle, which joins the Jetty request. */
    @Test
    void onCompleteAfterApplicationThreadCompletes() throws Exception {
        assertEquals("v1+v1", server.step("oncomplete-thread"));
    }

    @Test
    void dispatchFromApplicationThread() throws Exception {
        assertEquals("v1+v1", server.step("dispatch-thread"));
    }

    /** Holds on Jetty: read callbacks run in ServletChannel.handle, which joins the Jetty request. */
    @Test
    void nonBlockingReadListener() throws Exception {
        assertEquals("v1+v1", server.stepPost());
    }

    /** Holds on Jetty: write callbacks run in ServletChannel.handle, which joins the Jetty request. */
    @Test
    void nonBlockingWriteListener() throws Exception {
        assertEquals("v1+v1", server.stepSlowReader());
    }
}
