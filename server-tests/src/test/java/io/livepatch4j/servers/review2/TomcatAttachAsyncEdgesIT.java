package io.livepatch4j.servers.review2;

import io.livepatch4j.servers.harness.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Review 2, Tomcat 11 in attach mode (the agent loaded by a first lp4j apply): the cases of TomcatAsyncEdgesIT, which explains the breaks.
 */
@Timeout(120)
class TomcatAttachAsyncEdgesIT {

    static Stepped server;

    @BeforeAll
    static void start() throws Exception {
        server = new Stepped("tomcat11", ReviewTomcat.class.getName(), Mode.ATTACH).warmUp();
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
