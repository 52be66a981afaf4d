package io.livepatch4j.it.review;

import com.sun.net.httpserver.HttpServer;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Promise broken: DESIGN.md "A request is one unit wherever it runs"; docs/agent.md, Kafka: "A single
 * poll inside a request is part of the request."
 *
 * <p>A com.sun.net.httpserver request (a unit the agent knows) reads from Kafka twice (a handler that
 * fetches a first batch, then polls again for more: a bounded read, not a poll loop), calling a
 * patched method after each poll. The patch is applied between the two polls. Expected: the request
 * runs v1 throughout ("v1+v1"). Observed: PollHooks.polling takes the second poll inside the same
 * unit for a poll loop and calls Units.point(): the request's unit ends mid-request and a new one
 * pins v2, so the request answers "v1+v2".
 */
@ExtendWith(BackToLoadedCode.class)
class RequestThatPollsTwiceIT {

    private static final TopicPartition PARTITION = new TopicPartition("reads", 0);

    @Test
    @Timeout(60)
    void aRequestThatPollsTwiceRunsOneGeneration() throws Exception {
        Patch v2 = TestPatches.greeterV2();
        Greeter greeter = new Greeter("polls");
        MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(PARTITION));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/read", exchange -> {
            consumer.poll(Duration.ZERO);
            String a = greeter.first();
            inside.countDown();
            try {
                go.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            consumer.poll(Duration.ZERO); // more records, please
            String b = greeter.second();
            byte[] body = (a + "+" + b).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> answer = http.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/read")).build(),
                HttpResponse.BodyHandlers.ofString());
            inside.await(10, TimeUnit.SECONDS);
            LivePatch.apply(v2, Strategy.LOCAL);
            go.countDown();
            String body = answer.get(20, TimeUnit.SECONDS).body();
            System.out.println("[review] request that polled twice answered " + body);
            assertEquals("v1+v1", body, "the request runs one generation across its two polls");
        } finally {
            go.countDown();
            server.stop(0);
            consumer.close();
        }
    }
}
