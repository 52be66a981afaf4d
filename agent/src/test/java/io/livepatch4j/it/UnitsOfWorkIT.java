package io.livepatch4j.it;

import com.sun.net.httpserver.HttpServer;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.it.support.JettyCore;
import io.livepatch4j.agent.tooling.Status;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.ConfiguredWorker;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of unit of work the agent recognizes without a change to application code. */
@ExtendWith(BackToLoadedCode.class)
class UnitsOfWorkIT {

    /** The unit of work the calling thread is in, as status reports it; "none" outside one. */
    static String myUnit() {
        long id = Thread.currentThread().getId();
        return LivePatch.status().threadsInUnits().stream().filter(t -> t.id() == id)
            .map(Status.ThreadStatus::unitKind).findFirst().orElse("none");
    }

    @Test
    void threadPoolExecutorTaskIsAUnitOfWork() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            assertEquals("executor task", pool.submit(UnitsOfWorkIT::myUnit).get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void scheduledExecutorTaskIsAUnitOfWork() throws Exception {
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(1);
        try {
            assertEquals("executor task", pool.schedule((Callable<String>) UnitsOfWorkIT::myUnit, 10,
                TimeUnit.MILLISECONDS).get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void forkJoinTaskAndCompletableFutureStageAreUnitsOfWork() throws Exception {
        ForkJoinPool fj = new ForkJoinPool(2);
        try {
            assertEquals("fork/join task", fj.invoke(new RecursiveTask<String>() {
                @Override
                protected String compute() {
                    return myUnit();
                }
            }));
            assertEquals("fork/join task", CompletableFuture.supplyAsync(UnitsOfWorkIT::myUnit).get());
        } finally {
            fj.shutdownNow();
        }
    }

    @Test
    void plainThreadIsInNoUnitOfWork() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        Thread t = new Thread(() -> seen.set(myUnit()));
        t.start();
        t.join();
        assertEquals("none", seen.get());
    }

    @Test
    void configuredMethodIsAUnitOfWork() {
        assertEquals("configured method", new ConfiguredWorker().work(UnitsOfWorkIT::myUnit));
    }

    @Test
    void quiescenceApiMarksUnitsAndReportsTheGeneration() throws Exception {
        assertTrue(Quiescence.agentLoaded());
        AtomicReference<String> seen = new AtomicReference<>();
        Quiescence.run(() -> seen.set(myUnit()));
        assertEquals("Quiescence API", seen.get());
        assertEquals("Quiescence API", Quiescence.call(UnitsOfWorkIT::myUnit));
        assertEquals(LivePatch.currentGeneration(), Quiescence.generation());
    }

    @Test
    void httpServerExchangeIsAUnitOfWork() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = myUnit().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            assertEquals("com.sun.net.httpserver exchange", get("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void jettyRequestIsAUnitOfWork() throws Exception {
        Server server = new Server();
        int port = JettyCore.start(server, new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.write(true, java.nio.ByteBuffer.wrap(myUnit().getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        try {
            assertEquals("Jetty request", get("http://127.0.0.1:" + port + "/"));
        } finally {
            server.stop();
        }
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void virtualThreadIsAUnitOfWork() throws Exception {
        // Thread.ofVirtual() is JDK 21 API; the tests compile for 17, so reach it reflectively.
        ExecutorService vts = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        try {
            assertEquals("virtual thread", vts.submit(UnitsOfWorkIT::myUnit).get());
        } finally {
            vts.shutdownNow();
        }
    }

    /**
     * A task that never returns (a consumer loop) moves to the new generation at each
     * Quiescence.point(), so it never holds the transition up.
     */
    @Test
    void quiescencePointLetsALoopThatNeverReturnsMove() throws Exception {
        Greeter g = new Greeter("q");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<String> last = new AtomicReference<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            pool.submit(() -> {
                while (running.get()) {
                    Quiescence.point();
                    last.set(g.pair());
                    Thread.onSpinWait();
                }
            });
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (last.get() == null && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the looping task moved at its quiescence point");
            Thread.sleep(50);
            assertEquals("v2+v2", last.get());
        } finally {
            running.set(false);
            pool.shutdownNow();
        }
    }

    private static String get(String url) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }
}
