package io.livepatch4j.servers.harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closed-loop load from real HTTP clients (java.net.http, HTTP/1.1): each client thread sends one
 * request, waits for its answer, sends the next. Client i asks for variant i mod n of the server's n
 * variants (see handler/Work.variant). Every answer is kept with the time its request was sent.
 */
final class Load implements AutoCloseable {

    /** One request: when it was sent (System.nanoTime), which variant, its body or why it failed. */
    record Answer(long sentNanos, String variant, String body, String failure) {}

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final List<List<Answer>> answers = new ArrayList<>();

    Load(int port, int clients, List<String> variants) {
        HttpClient client = client();
        for (int i = 0; i < clients; i++) {
            String variant = variants.get(i % variants.size());
            List<Answer> mine = new ArrayList<>();
            answers.add(mine);
            URI uri = URI.create("http://127.0.0.1:" + port + "/pair?variant=" + variant);
            Thread t = new Thread(() -> loop(client, uri, variant, mine), "load-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** GET {@code path} once; the body, or a failure line. */
    static String get(HttpClient client, int port, String path) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "HTTP " + r.statusCode() + ": " + r.body();
        } catch (Exception e) {
            return "failed: " + e;
        }
    }

    private void loop(HttpClient client, URI uri, String variant, List<Answer> mine) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
        while (running.get()) {
            long sent = System.nanoTime();
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                mine.add(r.statusCode() == 200 ? new Answer(sent, variant, r.body(), null)
                    : new Answer(sent, variant, null, "HTTP " + r.statusCode()));
            } catch (Exception e) {
                mine.add(new Answer(sent, variant, null, e.toString()));
            }
        }
    }

    /** Stops the clients (each finishes its request in flight) and returns every answer. */
    List<Answer> stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(60_000);
        }
        List<Answer> all = new ArrayList<>();
        answers.forEach(all::addAll);
        return all;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
