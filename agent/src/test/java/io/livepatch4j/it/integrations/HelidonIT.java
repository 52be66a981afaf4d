package io.livepatch4j.it.integrations;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.Held;
import io.livepatch4j.it.support.KeptAliveConnection;
import io.livepatch4j.it.support.TestPatches;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Helidon SE 4 (JDK 21 and later), which serves each connection on a virtual thread of its own, in a
 * loop over the connection's requests. A kept-alive connection's requests must each be a unit: a
 * request that begins after a transition runs the new code, and an idle connection does not hold
 * the transition (review 31: every request on 8 kept-alive connections answered the old code for
 * 20 s after an apply, until the clients closed them).
 *
 * <p>Helidon's classes are JDK 21 class files, which this module's JDK 17 compiler cannot read: the
 * server is built through its public API by reflection ({@code WebServer.builder()}, routes of
 * {@code Handler.create(Function)}).
 */
@ExtendWith(BackToLoadedCode.class)
class HelidonIT {

    private final Greeter greeter = new Greeter("helidon");
    /** A /slow request waits here between Greeter.first and Greeter.second. */
    private final Held busy = new Held();
    private final List<KeptAliveConnection> connections = new CopyOnWriteArrayList<>();
    private Object server;
    private int port;

    @BeforeEach
    void virtualThreads() {
        assumeTrue(Runtime.version().feature() >= 21, "Helidon 4 runs on JDK 21 and later");
    }

    /** The test's server, as configured by default. */
    private void start() throws Exception {
        start(builder -> { });
    }

    /**
     * A server with the routes below and a WebSocket endpoint at /ws, configured further by
     * {@code configure} (given the WebServerConfig.Builder), listening on {@link #port}.
     */
    private void start(Consumer<Object> configure) throws Exception {
        Class<?> webServer = Class.forName("io.helidon.webserver.WebServer");
        Class<?> builderType = Class.forName("io.helidon.webserver.WebServerConfig$Builder");
        Object builder = webServer.getMethod("builder").invoke(null);
        builderType.getMethod("host", String.class).invoke(builder, "127.0.0.1");
        builderType.getMethod("port", int.class).invoke(builder, 0);
        Consumer<Object> routes = rules -> {
            route(rules, "/greet", request -> greeter.first() + "+" + greeter.second());
            route(rules, "/slow", request -> {
                String a = greeter.first();
                busy.hold();
                return a + "+" + greeter.second();
            });
            route(rules, "/listened", request -> LISTENED.get() + "+" + greeter.second());
            route(rules, "/unit", request -> PatchFlips.myUnit());
            route(rules, "/kafka", request -> {
                String a = greeter.first();
                busy.hold();
                try (MockConsumer<String, String> consumer = new MockConsumer<>("earliest")) {
                    consumer.poll(Duration.ZERO);
                }
                return a + "+" + greeter.second();
            });
        };
        builderType.getMethod("routing", Consumer.class).invoke(builder, routes);
        Class<?> wsRouting = Class.forName("io.helidon.webserver.websocket.WsRouting");
        Class<?> wsListener = Class.forName("io.helidon.websocket.WsListener");
        Object ws = wsRouting.getMethod("builder").invoke(null);
        ws.getClass().getMethod("endpoint", String.class, wsListener).invoke(ws, "/ws", webSocketListener(wsListener));
        builderType.getMethod("addRouting", Class.forName("io.helidon.common.Builder")).invoke(builder, ws);
        configure.accept(builder);
        server = builderType.getMethod("build").invoke(builder);
        webServer.getMethod("start").invoke(server);
        port = (int) webServer.getMethod("port").invoke(server);
    }

    /** A WebSocket listener: a text message "slow" or "go" answers "first+second", "slow" waiting between the two. */
    private Object webSocketListener(Class<?> listener) {
        return Proxy.newProxyInstance(listener.getClassLoader(), new Class<?>[] {listener}, (proxy, method, args) -> {
            if (method.getName().equals("onMessage") && args[1] instanceof String text) {
                String a = greeter.first();
                if (text.equals("slow")) {
                    busy.hold();
                }
                Object session = args[0];
                Class.forName("io.helidon.websocket.WsSession").getMethod("send", String.class, boolean.class)
                    .invoke(session, a + "+" + greeter.second(), true);
                return null;
            }
            return InvocationHandler.invokeDefault(proxy, method, args);
        });
    }

    /** What the connection listener saw of the request /listened: Greeter.first, read while it parsed the headers. */
    private static final String LISTEN_HERE = "yes";

    /** The value of the request's X-Listen header, from Helidon's Headers, or null. */
    private static Object headerValue(Object headers) throws ReflectiveOperationException {
        Class<?> names = Class.forName("io.helidon.http.HeaderNames");
        Object name = names.getMethod("create", String.class).invoke(null, "X-Listen");
        Class<?> headersType = Class.forName("io.helidon.http.Headers");
        Class<?> nameType = Class.forName("io.helidon.http.HeaderName");
        if (!(boolean) headersType.getMethod("contains", nameType).invoke(headers, name)) {
            return null;
        }
        Object header = headersType.getMethod("get", nameType).invoke(headers, name);
        return Class.forName("io.helidon.http.Header").getMethod("get").invoke(header);
    }

    private static final ThreadLocal<String> LISTENED = new ThreadLocal<>();

    /**
     * An HTTP/1 connection listener, application code that Helidon runs on the connection's thread
     * before the routing: for a request with the header X-Listen it calls Greeter.first in its
     * {@code headers} callback and waits (an audit, a rate limit).
     */
    private Consumer<Object> withConnectionListener() {
        return builder -> {
            try {
                Class<?> listenerType = Class.forName("io.helidon.webserver.http1.Http1ConnectionListener");
                Object listener = Proxy.newProxyInstance(listenerType.getClassLoader(), new Class<?>[] {listenerType},
                    (proxy, method, args) -> {
                        if (method.getName().equals("headers") && LISTEN_HERE.equals(headerValue(args[1]))) {
                            LISTENED.set(greeter.first());
                            busy.hold();
                            return null;
                        }
                        return method.isDefault() ? InvocationHandler.invokeDefault(proxy, method, args) : null;
                    });
                Class<?> http1 = Class.forName("io.helidon.webserver.http1.Http1Config");
                Object config = http1.getMethod("builder").invoke(null);
                config.getClass().getMethod("addReceiveListener", listenerType).invoke(config, listener);
                Object built = config.getClass().getMethod("build").invoke(config);
                Class.forName("io.helidon.webserver.WebServerConfig$Builder")
                    .getMethod("addProtocol", Class.forName("io.helidon.webserver.spi.ProtocolConfig")).invoke(builder, built);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** {@code rules.get(path, Handler.create(answer))}: the handler sends what {@code answer} returns. */
    private static void route(Object rules, String path, Function<Object, String> answer) {
        try {
            Class<?> handler = Class.forName("io.helidon.webserver.http.Handler");
            Object handlers = Array.newInstance(handler, 1);
            Array.set(handlers, 0, handler.getMethod("create", Function.class).invoke(null, answer));
            Method get = Class.forName("io.helidon.webserver.http.HttpRouting$Builder").getMethod("get", String.class,
                handlers.getClass());
            get.invoke(rules, path, handlers);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() throws Exception {
        busy.release();
        for (KeptAliveConnection c : connections) {
            c.close();
        }
        if (server != null) {
            Class.forName("io.helidon.webserver.WebServer").getMethod("stop").invoke(server);
        }
    }

    private KeptAliveConnection connect() throws Exception {
        KeptAliveConnection c = new KeptAliveConnection(port);
        connections.add(c);
        return c;
    }

    @Test
    @Timeout(60)
    void eachRequestOfAKeptAliveConnectionIsAUnitAndAnIdleConnectionHoldsNoTransition() throws Exception {
        start();
        KeptAliveConnection c = connect();
        assertEquals("Helidon request", c.get("/unit"), "a request is a unit of its own, not its connection's thread");
        assertEquals("v1+v1", c.get("/greet"));
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        // The connection stays open and idle, its thread waiting for its next request.
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)),
            "an idle kept-alive connection holds no transition: " + LivePatch.status().transition());
        assertEquals("v2+v2", c.get("/greet"), "the connection's next request runs the new code");
    }

    @Test
    @Timeout(60)
    void aRequestInFlightAcrossTheApplyRunsTheOlderCodeAndTheConnectionsNextRequestTheNewer() throws Exception {
        start();
        KeptAliveConnection slowConnection = connect();
        KeptAliveConnection other = connect();
        assertEquals("v1+v1", other.get("/greet"));
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return slowConnection.get("/slow");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> new Thread(runnable, "client").start());
        busy.awaitArrival();
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        assertEquals("v2+v2", other.get("/greet"), "a request that began after the apply, on a connection opened before it");
        busy.release();
        assertEquals("v1+v1", slow.get(10, TimeUnit.SECONDS), "the request that began before the apply ran v1 throughout");
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)), "the transition completes: " + LivePatch.status().transition());
        assertEquals("v2+v2", slowConnection.get("/greet"), "the slow request's connection goes on with the new code");
    }

    /**
     * HTTP/2 (h2c, upgraded from HTTP/1.1 on the connection's first request): the connection's loop
     * reads frames and starts a virtual thread per stream, and each stream is a unit. Before, the
     * streams carried the unit of the connection's loop, and ran its generation for as long as the
     * client kept the connection.
     */
    @Test
    @Timeout(60)
    void eachStreamOfAnHttp2ConnectionRunsTheCodeOfWhenItBegan() throws Exception {
        start();
        // Its connection closes when the server stops (HttpClient.close is JDK 21 API; this compiles on 17).
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpRequest greet = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/greet")).build();
        assertEquals("v1+v1", client.send(greet, HttpResponse.BodyHandlers.ofString()).body());
        HttpResponse<String> second = client.send(greet, HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, second.version(), "the client upgraded the connection to HTTP/2");
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)),
            "an idle HTTP/2 connection holds no transition: " + LivePatch.status().transition());
        HttpResponse<String> after = client.send(greet, HttpResponse.BodyHandlers.ofString());
        assertEquals("v2+v2", after.body(), "the connection's next stream runs the new code");
        assertEquals(HttpClient.Version.HTTP_2, after.version());
    }

    /**
     * Review 34: a connection listener runs before the routing, on the connection's thread. The
     * request's unit begins where its prologue is read, so the listener and the handler run one
     * generation; before, the listener ran outside every unit ({@code v1+v2} across an apply).
     */
    @Test
    @Timeout(60)
    void aConnectionListenerRunsInItsRequestsUnit() throws Exception {
        start(withConnectionListener());
        KeptAliveConnection c = connect();
        CompletableFuture<String> listened = inBackground(() -> c.get("/listened", "X-Listen: " + LISTEN_HERE));
        busy.awaitArrival();
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        busy.release();
        assertEquals("v1+v1", listened.get(10, TimeUnit.SECONDS), "the listener and the handler of one request");
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)), "the transition completes: " + LivePatch.status().transition());
        assertEquals("v2+v2", c.get("/greet"));
    }

    /**
     * Review 34: after a WebSocket upgrade the connection's loop reads frames, and each is a unit: a
     * message in flight across an apply runs the older code to its end (before: {@code a=v1 b=v2},
     * 6 of 6), the next message runs the newer, and an idle WebSocket holds no transition.
     */
    @Test
    @Timeout(60)
    void eachWebSocketMessageRunsOneGeneration() throws Exception {
        start();
        java.util.concurrent.BlockingQueue<String> replies = new java.util.concurrent.LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    replies.add(data.toString());
                    webSocket.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
        try {
            socket.sendText("go", true).get(10, TimeUnit.SECONDS);
            assertEquals("v1+v1", replies.poll(10, TimeUnit.SECONDS));
            socket.sendText("slow", true).get(10, TimeUnit.SECONDS);
            busy.awaitArrival();
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            busy.release();
            assertEquals("v1+v1", replies.poll(10, TimeUnit.SECONDS), "the message in flight across the apply");
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)),
                "an idle WebSocket holds no transition: " + LivePatch.status().transition());
            socket.sendText("go", true).get(10, TimeUnit.SECONDS);
            assertEquals("v2+v2", replies.poll(10, TimeUnit.SECONDS), "the socket's next message");
        } finally {
            socket.abort();
        }
    }

    /**
     * Review 34: with a write queue, a connection starts a socket writer of its own on its first
     * response, inside that request's unit, and the writer lives as long as the connection: it held
     * every transition until the client closed (23 s). It is the server's work, and carries nothing.
     */
    @Test
    @Timeout(60)
    void aConnectionsAsynchronousWriterHoldsNoTransition() throws Exception {
        start(builder -> {
            try {
                Class.forName("io.helidon.webserver.WebServerConfig$Builder").getMethod("writeQueueLength", int.class)
                    .invoke(builder, 32);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        });
        KeptAliveConnection c = connect();
        assertEquals("v1+v1", c.get("/greet"));
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)),
            "an idle connection with a write queue holds no transition: " + LivePatch.status().transition());
        assertEquals("v2+v2", c.get("/greet"));
    }

    /**
     * Review 34b: a request's unit began when its prologue was read, so a client that sent a request
     * line and nothing more held every transition until it closed. The unit begins once the headers
     * are read: a stalled request holds nothing, and the connection's request, once complete, runs the
     * newer code.
     */
    @Test
    @Timeout(60)
    void aClientThatStallsAfterItsRequestLineHoldsNoTransition() throws Exception {
        start();
        try (java.net.Socket stalled = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            stalled.getOutputStream().write("GET /greet HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();
            Thread.sleep(300); // the server has read the request line, and waits for the headers
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)),
                "a request whose headers have not arrived holds no transition: " + LivePatch.status().transition());
            stalled.getOutputStream().write("Host: 127.0.0.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();
            stalled.setSoTimeout(10_000);
            StringBuilder response = new StringBuilder();
            java.io.InputStream in = stalled.getInputStream();
            try {
                for (int b; !response.toString().contains("+v") && (b = in.read()) >= 0; ) {
                    response.append((char) b);
                }
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("no complete response in 10 s; received: " + response, e);
            }
            response.append((char) in.read()); // the version after "+v"
            assertTrue(response.toString().endsWith("v2+v2"), "the request, once complete, runs the newer code: " + response);
        }
    }

    /**
     * Review 34b: a Kafka consumer polled and closed inside a request. Its poll loop and the
     * connection's are two loops, each with its own record: the consumer's poll is a poll inside a
     * request and leaves the request's unit alone. Before, it ended the request's unit, which Helidon's
     * read had begun, and the rest of the request ran the newer code ({@code a=v1 b=v2}, 7 of 10).
     */
    @Test
    @Timeout(60)
    void aKafkaConsumerPolledInsideARequestLeavesItsUnitAlone() throws Exception {
        start();
        KeptAliveConnection c = connect();
        CompletableFuture<String> polled = inBackground(() -> c.get("/kafka"));
        busy.awaitArrival();
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        busy.release();
        assertEquals("v1+v1", polled.get(10, TimeUnit.SECONDS), "the request that polled");
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)), "the transition completes: " + LivePatch.status().transition());
    }

    /**
     * Review 34c: once a request is routed, Helidon drains what its handler left unread of the body.
     * That drain ran in the request's unit, so a client that stopped sending the body after it had its
     * response held every transition until it closed. The unit ends where the drain begins.
     */
    @Test
    @Timeout(60)
    void aClientThatStallsInABodyNobodyReadsHoldsNoTransition() throws Exception {
        start();
        try (java.net.Socket stalled = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            stalled.setSoTimeout(10_000);
            stalled.getOutputStream().write(("GET /greet HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n0123456789")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();
            StringBuilder response = new StringBuilder();
            java.io.InputStream in = stalled.getInputStream();
            for (int b; !response.toString().contains("+v") && (b = in.read()) >= 0; ) {
                response.append((char) b);
            }
            response.append((char) in.read()); // the version after "+v"
            assertTrue(response.toString().endsWith("v1+v1"), "the request was answered: " + response);
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)),
                "a body nobody reads holds no transition: " + LivePatch.status().transition());
        }
    }

    private static <T> CompletableFuture<T> inBackground(java.util.concurrent.Callable<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        new Thread(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "client").start();
        return result;
    }

    @Test
    @Timeout(120)
    void requestsOnKeptAliveConnectionsUnderLoadNeverSeeTwoGenerations() throws Exception {
        start();
        ThreadLocal<KeptAliveConnection> mine = ThreadLocal.withInitial(() -> {
            try {
                return connect();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        var checker = PatchFlips.run(6, 8, () -> mine.get().get("/greet"), Duration.ofSeconds(3));
        System.out.println("HelidonIT: " + checker.units() + " requests on kept-alive connections, 0 mixed, 0 failed, 16 transitions");
    }
}
