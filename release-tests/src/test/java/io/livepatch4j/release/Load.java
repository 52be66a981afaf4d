package io.livepatch4j.release;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load from real HTTP clients (java.net.http, HTTP/1.1): each client thread sends the
 * benign input (GET /probe?in=...), waits for the answer, sends the next. A request failed if it got no answer, a status
 * other than 200, or an answer that starts with "ERROR" (the probe threw on benign input).
 */
final class Load implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final List<String> firstFailures = new java.util.concurrent.CopyOnWriteArrayList<>();

    Load(int port, int clients, String benign) {
        HttpClient client = client();
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(() -> loop(client, port, benign), "load-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** POST {@code body} to /probe once: the answer, or "FAILED ..." */
    static String post(HttpClient client, int port, String body) {
        try {
            HttpResponse<String> r = client.send(request(port, body), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "FAILED HTTP " + r.statusCode() + ": " + r.body();
        } catch (Exception e) {
            return "FAILED " + e;
        }
    }

    private static HttpRequest request(int port, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/probe")).timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** GET /probe?in=INPUT once: the answer, or "FAILED ..." */
    static String get(HttpClient client, int port, String input) {
        try {
            URI uri = URI.create("http://127.0.0.1:" + port + "/probe?in="
                + java.net.URLEncoder.encode(input, java.nio.charset.StandardCharsets.UTF_8));
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "FAILED HTTP " + r.statusCode() + ": " + r.body();
        } catch (Exception e) {
            return "FAILED " + e;
        }
    }

    private void loop(HttpClient client, int port, String benign) {
        while (running.get()) {
            String answer = get(client, port, benign);
            requests.incrementAndGet();
            if (answer.startsWith("FAILED") || answer.startsWith("ERROR")) {
                failures.incrementAndGet();
                if (firstFailures.size() < 5) {
                    firstFailures.add(answer);
                }
            }
        }
    }

    long requests() {
        return requests.get();
    }

    long failures() {
        return failures.get();
    }

    List<String> firstFailures() {
        return List.copyOf(firstFailures);
    }

    /** Stops the clients; each finishes its request in flight. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(30_000);
        }
    }
}
