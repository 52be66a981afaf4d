package io.livepatch4j.servers.review2;

import io.livepatch4j.servers.harness.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Review 2, Jetty 12 ee10 behind a GzipHandler (Jetty's standard compression Handler.Wrapper; the
 * stepped requests send Accept-Encoding: gzip): async servlet requests stepped so that a patch lands
 * between their halves (see {@link ReviewServlet}). Every one must answer "v1+v1".
 *
 * <p>Break (readlistener, writelistener, oncomplete-thread; they hold in JettyAsyncEdgesIT without
 * the wrapper): JettyServlet.Handle joins the Jetty request by ServletChannel's {@code _callback}, the
 * callback the servlet context was handed. GzipHandler hands it a GzipResponseAndCallback that wraps
 * the ChannelCallback which Jetty.Handle registered (Carriers.REQUESTS is keyed by identity), so every
 * later event of the request in ServletChannel.handle (read and write callbacks, the COMPLETE action
 * that runs AsyncListener.onComplete, and so presumably timeouts and errors) begins a fresh "Jetty
 * request" unit of the current generation. Seen: "qtp...-15 in unit: Jetty request -> v1+v2".
 * dispatch-thread holds only because the Servlet API advice joins the dispatch by its AsyncContext.
 * asyncContextStart fails as without the wrapper (QueuedThreadPool not captured).
 */
@Timeout(120)
class JettyGzipAsyncEdgesIT {

    static Stepped server;

    @BeforeAll
    static void start() throws Exception {
        server = new Stepped("jetty12-ee10-gzip", ReviewJettyGzip.class.getName(), Mode.PREPARED);
        server.headers = new String[] {"Accept-Encoding", "gzip"};
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

    @Test
    void onCompleteAfterApplicationThreadCompletes() throws Exception {
        assertEquals("v1+v1", server.step("oncomplete-thread"));
    }

    @Test
    void dispatchFromApplicationThread() throws Exception {
        assertEquals("v1+v1", server.step("dispatch-thread"));
    }

    @Test
    void nonBlockingReadListener() throws Exception {
        assertEquals("v1+v1", server.stepPost());
    }

    @Test
    void nonBlockingWriteListener() throws Exception {
        assertEquals("v1+v1", server.stepSlowReader());
    }
}
