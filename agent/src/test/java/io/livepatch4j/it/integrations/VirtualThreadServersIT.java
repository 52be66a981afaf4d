package io.livepatch4j.it.integrations;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.JettyCore;
import io.livepatch4j.it.support.KeptAliveConnection;
import io.livepatch4j.it.support.TestPatches;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Servers that run requests on virtual threads (JDK 21 and later), as Spring Boot's
 * {@code spring.threads.virtual.enabled} configures them: Jetty 12 with its {@code VirtualThreadPool}
 * and Tomcat 11 with {@code useVirtualThreads}. On kept-alive connections, each request runs one
 * generation, a request after a transition runs the new code, and an idle connection holds no
 * transition.
 */
@ExtendWith(BackToLoadedCode.class)
class VirtualThreadServersIT {

    private final Greeter greeter = new Greeter("virtual-thread-servers");
    private final List<KeptAliveConnection> connections = new CopyOnWriteArrayList<>();
    private AutoCloseable server;

    @BeforeEach
    void virtualThreads() {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads: JDK 21 and later");
    }

    @AfterEach
    void stop() throws Exception {
        for (KeptAliveConnection c : connections) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private String answer() {
        return greeter.first() + "+" + greeter.second();
    }

    private int jetty() throws Exception {
        return jetty(new VirtualThreadPool());
    }

    /** Jetty's platform pool, whose blocking jobs (a request's handling) run on virtual threads. */
    private int jettyQueuedPoolWithVirtualThreads() throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setVirtualThreadsExecutor(VirtualThreads.getDefaultVirtualThreadsExecutor());
        return jetty(pool);
    }

    private int jetty(ThreadPool pool) throws Exception {
        Server jetty = new Server(pool);
        server = jetty::stop;
        return JettyCore.start(jetty, new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String body = "/unit".equals(Request.getPathInContext(request)) ? PatchFlips.myUnit() : answer();
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
    }

    private int tomcat() throws Exception {
        File base = Files.createTempDirectory("tomcat-vt").toFile();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.getConnector().setProperty("useVirtualThreads", "true");
        Context context = tomcat.addContext("", base.getAbsolutePath());
        Tomcat.addServlet(context, "greet", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                byte[] body = ("/unit".equals(request.getRequestURI()) ? PatchFlips.myUnit() : answer())
                    .getBytes(StandardCharsets.UTF_8);
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
            }
        });
        context.addServletMappingDecoded("/*", "greet");
        tomcat.start();
        server = () -> {
            tomcat.stop();
            tomcat.destroy();
        };
        return tomcat.getConnector().getLocalPort();
    }

    private KeptAliveConnection connect(int port) {
        try {
            KeptAliveConnection c = new KeptAliveConnection(port);
            connections.add(c);
            return c;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void anIdleKeptAliveConnectionHoldsNoTransition(int port, String unit) throws Exception {
        KeptAliveConnection c = connect(port);
        assertEquals(unit, c.get("/unit"), "the unit a request runs in");
        assertEquals("v1+v1", c.get("/greet"));
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)),
            "an idle kept-alive connection holds no transition: " + LivePatch.status().transition());
        assertEquals("v2+v2", c.get("/greet"), "the connection's next request runs the new code");
    }

    private void underLoad(int port, String server) throws Exception {
        ThreadLocal<KeptAliveConnection> mine = ThreadLocal.withInitial(() -> connect(port));
        var checker = PatchFlips.run(6, 6, () -> mine.get().get("/greet"), Duration.ofSeconds(3));
        System.out.println("VirtualThreadServersIT (" + server + "): " + checker.units()
            + " requests on kept-alive connections, 0 mixed, 0 failed, 12 transitions");
    }

    /**
     * Every job of a VirtualThreadPool runs on a virtual thread of its own: its acceptor's and its
     * selector's loops too, which never end. Before, each was a virtual-thread unit, and no transition
     * completed in a JVM that ran such a server; a request was a unit only as part of its job's.
     */
    @Test
    @Timeout(60)
    void jettyOnVirtualThreads() throws Exception {
        anIdleKeptAliveConnectionHoldsNoTransition(jetty(), "Jetty request");
    }

    @Test
    @Timeout(120)
    void jettyOnVirtualThreadsUnderLoad() throws Exception {
        underLoad(jetty(), "Jetty 12, VirtualThreadPool");
    }

    /** Each blocking job runs on a virtual thread of its own, which ends with it: that run is the unit, the request joins it. */
    @Test
    @Timeout(60)
    void jettyQueuedThreadPoolWithVirtualThreads() throws Exception {
        anIdleKeptAliveConnectionHoldsNoTransition(jettyQueuedPoolWithVirtualThreads(), "virtual thread");
    }

    @Test
    @Timeout(120)
    void jettyQueuedThreadPoolWithVirtualThreadsUnderLoad() throws Exception {
        underLoad(jettyQueuedPoolWithVirtualThreads(), "Jetty 12, QueuedThreadPool with virtual threads");
    }

    /** Tomcat runs each socket event's processing on a virtual thread: that run is the unit, its servlet request joins it. */
    @Test
    @Timeout(60)
    void tomcatOnVirtualThreads() throws Exception {
        anIdleKeptAliveConnectionHoldsNoTransition(tomcat(), "virtual thread");
    }

    @Test
    @Timeout(120)
    void tomcatOnVirtualThreadsUnderLoad() throws Exception {
        underLoad(tomcat(), "Tomcat 11, useVirtualThreads");
    }
}
