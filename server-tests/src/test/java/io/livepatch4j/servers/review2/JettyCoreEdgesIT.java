package io.livepatch4j.servers.review2;

import io.livepatch4j.servers.harness.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Review 2, Jetty 12 core handlers: asynchronous reads and writes (see {@link ReviewJettyCore}). */
@Timeout(120)
class JettyCoreEdgesIT {

    static Stepped server;

    @BeforeAll
    static void start() throws Exception {
        server = new Stepped("jetty12-core", ReviewJettyCore.class.getName(), Mode.PREPARED);
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
     * Break: Request.demand(Runnable), Jetty 12's asynchronous read. The demand callback that sees the
     * last chunk (sent after the patch) runs the new code while the Jetty request (G0, held by its
     * callback) is still open: Jetty invokes it from the connection's fill on a QueuedThreadPool
     * thread, outside Server.handle, and only the servlet layer's ServletChannel.handle joins the
     * request (JettyServlet); core handlers get no such hook. Seen: "qtp...-18 in unit: none -> v1+v2".
     */
    @Test
    void demandCallbackAfterTheRestOfTheBody() throws Exception {
        assertEquals("v1+v1", server.stepPost());
    }

    /**
     * Break: Response.write(last, buffer, Callback), Jetty 12's asynchronous write. Once the client
     * reads (after the patch), the pending write's callback runs on a QueuedThreadPool thread in no
     * unit, so the last one runs Pair.second() in G1. Same root cause as the demand callback.
     * Seen: "qtp...-20 in unit: none -> v1+v2".
     */
    @Test
    void writeCallbackAfterASlowClientReads() throws Exception {
        assertEquals("v1+v1", server.stepSlowReader());
    }
}
