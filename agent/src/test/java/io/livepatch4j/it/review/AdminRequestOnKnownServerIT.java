package io.livepatch4j.it.review;

import com.sun.net.httpserver.HttpServer;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Promise broken (docs/agent.md, general rule): "The thread that applies a patch (an admin request that
 * calls the Java API and waits for the transition) moves at once; the rule does not hold it." The same
 * admin request on a server the agent knows (com.sun.net.httpserver here; Jetty alike) is a unit of
 * work of the older generation, and the transition waits for it: LivePatch.awaitTransition inside the
 * request waits for the request itself and times out, although no other unit is in flight. Expected:
 * the admin request's wait sees the transition complete ("complete"), as it does on an unknown server.
 */
@ExtendWith(BackToLoadedCode.class)
class AdminRequestOnKnownServerIT {

    @Test
    @Timeout(60)
    void anAdminRequestThatAppliesAndWaitsSeesTheTransitionComplete() throws Exception {
        Patch v2 = TestPatches.greeterV2();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/admin/apply", exchange -> {
            String result;
            try {
                LivePatch.apply(v2, Strategy.LOCAL);
                result = LivePatch.awaitTransition(Duration.ofSeconds(3)) ? "complete" : "timed out";
            } catch (Exception e) {
                result = "failed: " + e;
            }
            byte[] body = result.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.getAddress().getPort() + "/admin/apply")).build(), HttpResponse.BodyHandlers.ofString()).body();
            System.out.println("[review] admin request: " + body);
            assertEquals("complete", body, "the admin request's own unit does not hold the transition it waits for");
        } finally {
            server.stop(0);
        }
    }
}
