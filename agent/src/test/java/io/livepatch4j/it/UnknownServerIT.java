package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.ShopHandler;
import io.livepatch4j.it.pool.PoolServer;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The general rule on a server the agent has no integration for: a thread-pool HTTP server written
 * only for this test ({@link PoolServer}, server code) calls unchanged application code
 * ({@link ShopHandler}) that calls two patched methods one after the other. Under load from a real
 * HTTP client, with the patch applied and rolled back again and again, no response mixes two
 * generations, none fails, and every request sent after a transition completed answers that
 * generation's version. Without the rule each call into the patched class was a unit of its own, and
 * responses mixed.
 */
class UnknownServerIT {

    private static final int CLIENTS = 8;
    private static final int CYCLES = 10;

    /** One request as the client saw it. */
    private record Answer(long sentNanos, long doneNanos, String body, int status) {
    }

    /** A generation's code became the only code at {@code completedNanos}, until {@code endNanos} (the next apply began). */
    private record Phase(String version, long completedNanos, long endNanos) {
    }

    @Test
    void requestsOfAThreadPoolServerTheAgentDoesNotKnowNeverMixGenerations() throws Exception {
        Patch v2 = TestPatches.greeterV2();
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Phase> phases = new ArrayList<>();
        try (PoolServer server = new PoolServer(CLIENTS + 2, new ShopHandler())) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/shop");
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Thread c = new Thread(() -> {
                    while (running.get()) {
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(),
                                HttpResponse.BodyHandlers.ofString());
                            answers.add(new Answer(sent, System.nanoTime(), r.body(), r.statusCode()));
                        } catch (Exception e) {
                            failures.add(e);
                        }
                    }
                }, "client-" + i);
                c.start();
                clients.add(c);
            }
            long since = System.nanoTime();
            String version = "v1";
            for (int i = 0; i < 2 * CYCLES; i++) {
                Thread.sleep(100);
                long begin = System.nanoTime();
                phases.add(new Phase(version, since, begin));
                ApplyResult r = i % 2 == 0 ? LivePatch.apply(v2, Strategy.LOCAL) : LivePatch.rollback(0, Strategy.LOCAL);
                assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(20)), "transition to G" + r.generation() + " completes");
                since = System.nanoTime();
                version = i % 2 == 0 ? "v2" : "v1";
            }
            Thread.sleep(100);
            phases.add(new Phase(version, since, System.nanoTime()));
            running.set(false);
            for (Thread c : clients) {
                c.join();
            }
        }
        List<String> mixed = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        int failed = failures.size();
        for (Answer a : answers) {
            if (a.status() != 200) {
                failed++;
                continue;
            }
            String[] parts = a.body().split("\\+");
            if (!parts[0].equals(parts[1])) {
                mixed.add(a.body());
            }
            for (Phase p : phases) {
                if (a.sentNanos() > p.completedNanos() && a.doneNanos() < p.endNanos() && !a.body().equals(p.version() + "+" + p.version())) {
                    wrong.add(a.body() + " sent after " + p.version() + " was complete");
                }
            }
        }
        System.out.println("UnknownServerIT: " + answers.size() + " requests, " + mixed.size() + " mixed, " + failed
            + " failed, " + wrong.size() + " of an older generation after a transition completed");
        assertTrue(answers.size() > 2000, "enough requests ran: " + answers.size());
        assertEquals(List.of(), List.copyOf(failures), "no request failed");
        assertEquals(0, failed, "every response was 200");
        assertEquals(List.of(), mixed.subList(0, Math.min(10, mixed.size())), "no response mixed two generations");
        assertEquals(List.of(), wrong.subList(0, Math.min(10, wrong.size())),
            "requests sent after a transition completed ran its generation");
    }
}
