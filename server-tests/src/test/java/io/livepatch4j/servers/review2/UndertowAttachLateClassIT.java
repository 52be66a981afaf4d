package io.livepatch4j.servers.review2;

import io.livepatch4j.servers.harness.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Review 2, diagnostic for {@link UndertowAttachHangIT}: Undertow's servlet layer in attach mode. A
 * servlet request runs on an XNIO worker that the I/O thread's exchange.dispatch submitted; status
 * says "Undertow exchange (carried into an executor task)" when the agent was loaded after the server
 * served a request, but only "Undertow exchange" (the worker joined the exchange through
 * executeRootHandler, not through the carried task) when the agent was loaded before the first
 * request: the carried-task path of EnhancedQueueExecutor does not work in that case, and its
 * captured holds are then released only by GC (the hang).
 */
@Timeout(120)
class UndertowAttachLateClassIT {

    @Test
    void agentLoadedBeforeTheFirstRequestCarriesLikeAfter() throws Exception {
        String early;
        try (Stepped s = new Stepped("undertow-servlet-early", ReviewUndertow.class.getName(), Mode.ATTACH)) {
            s.get("/kind");
            s.warmUp();
            early = s.get("/kind");
        }
        try (Stepped s = new Stepped("undertow-servlet-late", ReviewUndertow.class.getName(), Mode.ATTACH).warmUp()) {
            assertEquals(early, s.get("/kind"));
        }
    }
}
