package io.livepatch4j.servers.review2;

import io.livepatch4j.servers.harness.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Review 2, Undertow core: asynchronous reads (Receiver), writes (Sender), I/O-thread tasks; see {@link ReviewUndertowCore}. */
@Timeout(120)
class UndertowCoreEdgesIT {

    static Stepped server;

    @BeforeAll
    static void start() throws Exception {
        server = new Stepped("undertow-core", ReviewUndertowCore.class.getName(), Mode.PREPARED);
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
     * Holds: the Receiver's callback (receiveFullString), called on the I/O thread when the rest of the
     * body arrives after the patch, runs through Connectors.executeRootHandler and so joins the
     * exchange's unit (seen: "XNIO-1 I/O-1 in unit: Undertow exchange -> v1+v1"). Contrast with the
     * servlet layer's ReadListener (UndertowAsyncEdgesIT), which Undertow calls outside it.
     */
    @Test
    void receiverCallbackAfterTheRestOfTheBody() throws Exception {
        assertEquals("v1+v1", server.stepPost());
    }

    /**
     * Break: the async Sender's IoCallback.onComplete (exchange.getResponseSender().send(buffer,
     * callback), Undertow's usual way to write a response), called once a slow client has read 64 MB
     * after the patch, runs the new code while the exchange (G0) is still open: the Sender's write
     * listener calls it on the XNIO I/O thread outside Connectors.executeRootHandler, in no unit.
     * Seen: "XNIO-1 I/O-1 in unit: none -> v1+v2". (Contrast: the Receiver's read callback holds.)
     */
    @Test
    void senderCallbackAfterASlowClientReads() throws Exception {
        assertEquals("v1+v1", server.stepSlowReader());
    }

    /**
     * Break: a task the handler schedules on its exchange's I/O thread (XnioIoThread.executeAfter, as
     * Undertow does for its own timeouts; execute() is the same queue) finishes the exchange and runs
     * the new code: the XNIO I/O thread's task queue is not captured (only EnhancedQueueExecutor, the
     * worker pool, is), so the task runs in no unit while the exchange (G0) is open.
     * Seen: "XNIO-1 I/O-2 in unit: none -> v1+v2".
     */
    @Test
    void ioThreadTaskFinishesTheExchange() throws Exception {
        assertEquals("v1+v1", server.step("iothread"));
    }
}
