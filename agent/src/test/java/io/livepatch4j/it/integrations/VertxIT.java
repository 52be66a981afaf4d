package io.livepatch4j.it.integrations;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.Held;
import io.livepatch4j.it.support.HttpGets;
import io.livepatch4j.it.support.TestPatches;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Vert.x 5 (on Netty 4.2): a request handler calls Greeter.first on the event loop and Greeter.second
 * in a blocking step, and answers "first+second". Ordered {@code executeBlocking} (the default) and a
 * worker verticle run every request's blocking steps of a context through one serial queue
 * (TaskQueue), one runner after another: each step must run in its own request's generation, not in
 * that of the request whose step started the runner (review 31: {@code v2+v1}).
 */
@ExtendWith(BackToLoadedCode.class)
class VertxIT {

    private final Greeter greeter = new Greeter("vertx");
    /** The first /slow step waits here, so that the next request's step queues behind it. */
    private final Held busy = new Held();
    private Vertx vertx;
    private HttpServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(4));
        vertx.deployVerticle(new Worker(), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        busy.release();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** A worker verticle: the event bus delivers each message through its context's serial queue. */
    private final class Worker extends AbstractVerticle {
        @Override
        public void start() {
            vertx.eventBus().<String>consumer("second", m -> {
                if (m.body().equals("hold")) {
                    busy.hold();
                }
                m.reply(greeter.second());
            });
        }
    }

    private void handle(HttpServerRequest request) {
        String a = greeter.first();
        String path = request.path();
        if (path.startsWith("/worker")) {
            vertx.eventBus().<String>request("second", path.endsWith("slow") ? "hold" : "go")
                .onSuccess(m -> request.response().end(a + "+" + m.body()))
                .onFailure(e -> request.response().setStatusCode(500).end(e.toString()));
            return;
        }
        vertx.executeBlocking(() -> {
            if (path.endsWith("slow")) {
                busy.hold();
            }
            return greeter.second();
        }).onSuccess(b -> request.response().end(a + "+" + b))
            .onFailure(e -> request.response().setStatusCode(500).end(e.toString()));
    }

    /** A slow request's step holds the queue's runner across an apply; the next request's step queues behind it. */
    private void queuedBehindARequestOfTheOlderGeneration(String route) throws Exception {
        CompletableFuture<String> slow = getInBackground(route + "slow");
        busy.awaitArrival();
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        CompletableFuture<String> next = getInBackground(route);
        Thread.sleep(300); // the next request's event-loop step ran (v2) and its blocking step is queued
        busy.release();
        assertEquals("v1+v1", slow.get(10, TimeUnit.SECONDS), "the request that began before the apply ran v1 throughout");
        assertEquals("v2+v2", next.get(10, TimeUnit.SECONDS),
            "the request that began after the apply ran v2 throughout, though its step ran on the runner the older request started");
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)), "the transition completes: " + LivePatch.status().transition());
    }

    /** Review 31: before, the second request answered v2+v1. */
    @Test
    @Timeout(60)
    void anOrderedBlockingStepRunsInItsOwnRequestsGeneration() throws Exception {
        queuedBehindARequestOfTheOlderGeneration("/ordered");
    }

    /** Review 31: a worker verticle's messages are queued the same way. */
    @Test
    @Timeout(60)
    void aWorkerVerticlesMessageRunsInTheGenerationOfTheRequestThatSentIt() throws Exception {
        queuedBehindARequestOfTheOlderGeneration("/worker");
    }

    @Test
    @Timeout(120)
    void requestsUnderLoadWithPatchesAppliedAndRolledBackNeverSeeTwoGenerations() throws Exception {
        AtomicInteger turn = new AtomicInteger();
        var checker = PatchFlips.run(6, 10, () -> get((turn.getAndIncrement() & 1) == 0 ? "/ordered" : "/worker"));
        System.out.println("VertxIT: " + checker.units() + " requests, 0 mixed, 0 failed, 20 transitions");
    }

    /**
     * A virtual-thread verticle (JDK 21+): each request's handler runs on a virtual thread, awaits a
     * timer and a blocking step, and the context's queue hands its runner to a new virtual thread
     * whenever a handler awaits. Review 31 on Temurin 25: transitions took 16 to 50 s under load, held
     * by the virtual threads started for the runner and by the runner itself, always inside some
     * request's unit.
     */
    @Test
    @Timeout(120)
    void aVirtualThreadVerticleUnderLoadNeverMixesAndItsTransitionsComplete() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads: JDK 21 and later");
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        vertx.deployVerticle(new AbstractVerticle() {
            @Override
            public void start() {
                vertx.createHttpServer().requestHandler(request -> {
                    String a = greeter.first();
                    vertx.timer(2, TimeUnit.MILLISECONDS).await();
                    String b = vertx.executeBlocking(VertxIT.this::pairAgrees).await();
                    request.response().end(a + "+" + b);
                }).listen(0, "127.0.0.1").onSuccess(s -> listening.complete(s.actualPort())).onFailure(listening::completeExceptionally);
            }
        }, new DeploymentOptions().setThreadingModel(ThreadingModel.VIRTUAL_THREAD)).toCompletionStage().toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
        int virtualPort = listening.get(30, TimeUnit.SECONDS);
        int mainPort = port;
        port = virtualPort;
        // The blocking steps stay a while inside application code (Greeter.pair), under the queue's
        // runner: a transition begins while the runner is inside an application call.
        Runnable before = Greeter.betweenCalls;
        Greeter.betweenCalls = () -> LockSupport.parkNanos(3_000_000);
        try {
            var checker = PatchFlips.run(8, 6, () -> get("/vt"), Duration.ofSeconds(3));
            System.out.println("VertxIT (virtual threads): " + checker.units() + " requests, 0 mixed, 0 failed, 12 transitions");
        } finally {
            port = mainPort;
            Greeter.betweenCalls = before;
        }
    }

    /** Greeter.pair's second version, or "mixed(...)" if its two halves differ. */
    private String pairAgrees() {
        String[] both = greeter.pair().split("\\+");
        return both[0].equals(both[1]) ? both[1] : "mixed(" + String.join("+", both) + ")";
    }

    private CompletableFuture<String> getInBackground(String path) {
        return HttpGets.inBackground(port, path);
    }

    private String get(String path) throws IOException {
        return HttpGets.get(port, path);
    }
}
