package io.livepatch4j.bench.load;

import io.livepatch4j.demo.client.ResponseCheck;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load at a fixed rate against the demo server: request i is due at start + i/rate,
 * whether or not earlier ones have answered, and its latency runs from that due time (so
 * coordinated omission cannot hide a stall). Requests go out asynchronously through Jetty's
 * HttpClient; the kinds are mixed by fixed fractions, with a seeded random source so runs compare.
 */
public final class OpenLoopLoad implements AutoCloseable {

    /**
     * @param rate        requests per second
     * @param keys        the server's key count
     * @param reportShare fraction of requests that are long /report scans
     * @param reportPasses passes per /report (each ~28 ms at 100k keys on these machines)
     * @param probeShare  fraction of requests that are leak probes
     * @param putShare    fraction that are writes
     * @param reportPassesMax with more than {@code reportPasses}, each /report asks for a number of
     *                    passes drawn uniformly from reportPasses..reportPassesMax (long requests of
     *                    varied length); the same value gives every /report the same length
     */
    public record Mix(double rate, int keys, double reportShare, int reportPasses, double probeShare,
                      double putShare, int reportPassesMax) {

        /** Every /report of the same length ({@code reportPasses}). */
        public Mix(double rate, int keys, double reportShare, int reportPasses, double probeShare,
                   double putShare) {
            this(rate, keys, reportShare, reportPasses, probeShare, putShare, reportPasses);
        }
    }

    private final String base;
    private final Mix mix;
    private final HttpClient client;
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong outstanding = new AtomicLong();
    private volatile boolean running;
    private Thread scheduler;

    public OpenLoopLoad(String host, int port, Mix mix) throws Exception {
        this.base = "http://" + host + ":" + port;
        this.mix = mix;
        QueuedThreadPool pool = new QueuedThreadPool(64, 8);
        pool.setName("load-client");
        pool.setDaemon(true);
        client = new HttpClient();
        client.setExecutor(pool);
        client.setMaxConnectionsPerDestination(512);
        client.setMaxRequestsQueuedPerDestination(100_000);
        client.setIdleTimeout(60_000);
        client.start();
    }

    /** Starts sending; returns the schedule's start ({@code System.nanoTime()}). */
    public long start() {
        running = true;
        long start = System.nanoTime();
        scheduler = new Thread(() -> schedule(start), "load-schedule");
        scheduler.setDaemon(true);
        scheduler.start();
        return start;
    }

    private void schedule(long start) {
        SplittableRandom random = new SplittableRandom(42);
        double interval = 1e9 / mix.rate();
        for (long i = 0; running; i++) {
            long due = start + (long) (i * interval);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            send(pick(random), due, random);
        }
    }

    private RequestKind pick(SplittableRandom random) {
        double x = random.nextDouble();
        if (x < mix.reportShare()) {
            return RequestKind.REPORT;
        }
        if (x < mix.reportShare() + mix.probeShare()) {
            return RequestKind.LEAK_PROBE;
        }
        if (x < mix.reportShare() + mix.probeShare() + mix.putShare()) {
            return RequestKind.PUT;
        }
        return RequestKind.GET;
    }

    private void send(RequestKind kind, long due, SplittableRandom random) {
        // The server's keys are item-<i>, except every 100th, which is private/item-<i>.
        int key = random.nextInt(mix.keys());
        int publicKey = key % 100 == 0 ? key + 1 : key;
        int privateKey = (key / 100) * 100;
        Request req = switch (kind) {
            case GET -> client.newRequest(base + "/kv/item-" + publicKey);
            case PUT -> client.newRequest(base + "/kv/item-" + publicKey).method("PUT")
                .body(new BytesRequestContent(("value-" + due).getBytes(StandardCharsets.UTF_8)));
            case REPORT -> client.newRequest(base + "/report?passes=" + passes(random));
            case LEAK_PROBE -> client.newRequest(base + "/kv/private/item-" + privateKey)
                .headers(h -> h.put("X-Api-Key", ""));
        };
        req.timeout(30, TimeUnit.SECONDS);
        sent.incrementAndGet();
        outstanding.incrementAndGet();
        req.send(new org.eclipse.jetty.client.BufferingResponseListener(4 << 20) {
            @Override
            public void onComplete(Result result) {
                long done = System.nanoTime();
                try {
                    samples.add(sample(kind, due, done, result));
                } finally {
                    // after the sample is in: stop() returns once nothing is outstanding, and must not
                    // miss it
                    outstanding.decrementAndGet();
                }
            }
        });
    }

    private static Sample sample(RequestKind kind, long due, long done, Result result) {
        if (result.isFailed()) {
            return new Sample(kind, due, -1, -1, "UNKNOWN", -1, String.valueOf(result.getFailure()));
        }
        HttpFields h = result.getResponse().getHeaders();
        String version = ResponseCheck.classify(h::get).name();
        long gen = -1;
        String g = h.get("X-Code-Generation");
        if (g != null) {
            try {
                gen = Long.parseLong(g.trim());
            } catch (NumberFormatException ignored) {
                // leave -1
            }
        }
        return new Sample(kind, due, done - due, result.getResponse().getStatus(), version, gen, null);
    }

    /**
     * The passes of one /report; draws from the random source only for varied lengths, so fixed mixes
     * replay as before.
     */
    private int passes(SplittableRandom random) {
        if (mix.reportPassesMax() <= mix.reportPasses()) {
            return mix.reportPasses();
        }
        return mix.reportPasses() + random.nextInt(mix.reportPassesMax() - mix.reportPasses() + 1);
    }

    /** Stops scheduling, waits up to {@code drainMillis} for answers in flight, and returns every sample. */
    public List<Sample> stop(long drainMillis) throws InterruptedException {
        running = false;
        if (scheduler != null) {
            scheduler.join();
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
        while (outstanding.get() > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        synchronized (samples) {
            return new ArrayList<>(samples);
        }
    }

    public long sent() {
        return sent.get();
    }

    /** A snapshot of what has completed so far. */
    public List<Sample> completedSoFar() {
        synchronized (samples) {
            return new ArrayList<>(samples);
        }
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}
