package io.livepatch4j.it.hazard;

import com.sun.net.httpserver.HttpServer;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.hazard.app.Pair;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.Held;
import io.livepatch4j.it.support.TestPatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hazard 13 of issue 10: a com.sun.net.httpserver exchange completed on another thread. The handler
 * calls Pair.first, hands the exchange to an executor and returns; the task calls Pair.second and
 * writes and closes the response. The patch arrives in between. A request is one unit wherever it
 * runs, until it completes: the response must show one version, and the transition must wait for
 * the exchange to be closed.
 */
@ExtendWith(BackToLoadedCode.class)
class HttpExchangeCompletedElsewhereIT {

    @Test
    @Timeout(60)
    void exchangeCompletedOnAnotherThreadSeesOneGeneration() throws Exception {
        // The completer's only thread is busy until the test lets it go, so the task the handler
        // submits starts after the apply, as it would behind a slow backend call.
        ExecutorService completer = Executors.newSingleThreadExecutor(r -> new Thread(r, "completer"));
        Held busy = new Held();
        Held beforeClose = new Held();
        CountDownLatch handed = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/pair", exchange -> {
            String a = Pair.first();
            completer.submit(() -> {
                try (exchange) {
                    String b = Pair.second();
                    beforeClose.hold(); // B ran; the exchange is still open
                    byte[] body = (a + "+" + b).getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
                return null;
            });
            handed.countDown();
        });
        server.start(); // no executor: the dispatcher thread runs each exchange (ServerImpl.Exchange.run)
        CompletableFuture<String> response = new CompletableFuture<>();
        Thread client = client(server, response);
        try {
            completer.submit(busy::hold);
            busy.awaitArrival();
            client.start();
            assertTrue(handed.await(10, TimeUnit.SECONDS), "the handler ran");

            LivePatch.apply(TestPatches.hazard("pair", "Pair"), Strategy.LOCAL);
            busy.release();
            beforeClose.awaitArrival();
            boolean completedBeforeClose = LivePatch.awaitTransition(Duration.ofSeconds(1));
            beforeClose.release();
            String body = response.get(10, TimeUnit.SECONDS);
            assertAll(
                () -> assertEquals("v1+v1", body, "the request ran one generation, though it was completed on "
                    + "another thread after the apply"),
                () -> assertFalse(completedBeforeClose, "the transition completed while an exchange begun in G0 was open"));
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes after the exchange");
        } finally {
            busy.release();
            beforeClose.release();
            server.stop(0);
            completer.shutdownNow();
            client.join(10_000);
        }
    }

    /**
     * A handler that writes its response in full and closes only the body, never the exchange: the
     * exchange is complete (the server's write-finished event) and its unit ends. JDK 25 renamed that
     * event's class (WriteFinishedEvent became Event.WriteFinished), and such exchanges held every
     * transition there.
     */
    @Test
    @Timeout(60)
    void exchangeWhoseResponseIsWrittenInFullEndsWithoutClose() throws Exception {
        Held inside = new Held();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/pair", exchange -> {
            String a = Pair.first();
            inside.hold();
            byte[] body = (a + "+" + Pair.second()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body);
            out.close();
        });
        server.start();
        CompletableFuture<String> response = new CompletableFuture<>();
        Thread client = client(server, response);
        try {
            client.start();
            inside.awaitArrival();
            LivePatch.apply(TestPatches.hazard("pair", "Pair"), Strategy.LOCAL);
            assertFalse(LivePatch.awaitTransition(Duration.ofMillis(300)), "the exchange in flight holds the transition");
            inside.release();
            assertEquals("v1+v1", response.get(10, TimeUnit.SECONDS), "the request ran one generation");
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)),
                "the exchange, its response written in full, holds nothing: " + LivePatch.status().transition());
        } finally {
            inside.release();
            server.stop(0);
            client.join(10_000);
        }
    }

    /** A plain client thread (no unit of work of its own that could hold the transition back) that GETs /pair. */
    private static Thread client(HttpServer server, CompletableFuture<String> response) {
        return new Thread(() -> {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                    + "/pair").toURL().openConnection();
                try (InputStream in = c.getInputStream()) {
                    response.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            } catch (Throwable t) {
                response.completeExceptionally(t);
            }
        }, "client");
    }
}
