package io.livepatch4j.it.integrations;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.Held;
import io.livepatch4j.it.support.HttpGets;
import io.livepatch4j.it.support.JettyCore;
import io.livepatch4j.it.support.TestPatches;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.ExecutorThreadPool;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Work a Jetty 12 handler hands to the server's own thread pool ({@code server.getThreadPool().execute})
 * or to its context ({@code request.getContext().execute}, Jetty's way to offload) runs in the
 * request's unit, on each kind of pool: the request answers "first+second", Greeter.first on the
 * request's thread and Greeter.second in the handed-over work, which waits across an apply (review
 * 34b: {@code a=v1 b=v2} on every pool, 4 of 4). The server's own jobs still carry nothing.
 */
@ExtendWith(BackToLoadedCode.class)
class JettyThreadPoolIT {

    private final Greeter greeter = new Greeter("jetty-pool");
    private final Held busy = new Held();
    private Server server;

    @AfterEach
    void stop() throws Exception {
        busy.release();
        if (server != null) {
            server.stop();
        }
    }

    private int start(ThreadPool pool) throws Exception {
        server = new Server(pool);
        return JettyCore.start(server, new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String a = greeter.first();
                Runnable rest = () -> {
                    busy.hold();
                    String body = a + "+" + greeter.second();
                    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                };
                if ("/context".equals(Request.getPathInContext(request))) {
                    request.getContext().execute(rest);
                } else {
                    server.getThreadPool().execute(rest);
                }
                return true;
            }
        });
    }

    private void handedOverWorkRunsItsRequestsGeneration(ThreadPool pool, String path) throws Exception {
        int port = start(pool);
        CompletableFuture<String> answer = HttpGets.inBackground(port, path);
        busy.awaitArrival();
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        busy.release();
        assertEquals("v1+v1", answer.get(10, TimeUnit.SECONDS), "the request and the work it handed over");
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)), "the transition completes: " + LivePatch.status().transition());
        assertEquals("v2+v2", HttpGets.get(port, path), "the next request");
    }

    private static QueuedThreadPool queuedWithVirtualThreads() {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads: JDK 21 and later");
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setVirtualThreadsExecutor(VirtualThreads.getDefaultVirtualThreadsExecutor());
        return pool;
    }

    private static VirtualThreadPool virtualThreads() {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads: JDK 21 and later");
        return new VirtualThreadPool();
    }

    @Test
    @Timeout(60)
    void queuedThreadPool() throws Exception {
        handedOverWorkRunsItsRequestsGeneration(new QueuedThreadPool(), "/pool");
    }

    @Test
    @Timeout(60)
    void queuedThreadPoolThroughTheContext() throws Exception {
        handedOverWorkRunsItsRequestsGeneration(new QueuedThreadPool(), "/context");
    }

    /**
     * Jetty's ExecutorThreadPool runs its jobs, the acceptor's and the selector's loops too, as tasks
     * of a JDK ThreadPoolExecutor: each was a unit that never ended, and no transition completed
     * (review 34c). They are the server's work, no unit, as on the other pools.
     */
    @Test
    @Timeout(60)
    void executorThreadPool() throws Exception {
        handedOverWorkRunsItsRequestsGeneration(new ExecutorThreadPool(16, 4), "/pool");
    }

    @Test
    @Timeout(60)
    void queuedThreadPoolWithVirtualThreads() throws Exception {
        handedOverWorkRunsItsRequestsGeneration(queuedWithVirtualThreads(), "/pool");
    }

    @Test
    @Timeout(60)
    void virtualThreadPool() throws Exception {
        handedOverWorkRunsItsRequestsGeneration(virtualThreads(), "/pool");
    }

    @Test
    @Timeout(60)
    void virtualThreadPoolThroughTheContext() throws Exception {
        handedOverWorkRunsItsRequestsGeneration(virtualThreads(), "/context");
    }
}
