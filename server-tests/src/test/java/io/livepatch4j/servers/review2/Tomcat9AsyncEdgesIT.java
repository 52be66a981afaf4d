package io.livepatch4j.servers.review2;

import io.livepatch4j.servers.harness.Mode;
import io.livepatch4j.servers.harness.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Review 2, Tomcat 9 (javax.servlet; the same cases as TomcatAsyncEdgesIT, which explains the breaks): async servlet requests stepped so that a patch lands between their halves
 * (see {@link ReviewServlet}). Every one must answer "v1+v1".
 */
@Timeout(120)
class Tomcat9AsyncEdgesIT {

    static Stepped server;

    @BeforeAll
    static void start() throws Exception {
        server = new Stepped("tomcat9", Server.inFolder("tomcat9", ReviewTomcat9.class.getName(), "lp4j.tomcat9.dir", "any"), Mode.PREPARED);
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
