package io.livepatch4j.it.integrations;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.Held;
import io.livepatch4j.it.support.HttpGets;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Netty HTTP server (HttpServerCodec, no aggregator): the handler calls Greeter.first when the
 * HttpRequest arrives and, at the LastHttpContent, hands the rest to another executor, which calls
 * Greeter.second and writes the response from there. The request is one unit across those events
 * and threads, until its response is written.
 */
@ExtendWith(BackToLoadedCode.class)
class NettyIT {

    private final Greeter greeter = new Greeter("netty");
    private final ExecutorService completer = Executors.newFixedThreadPool(4, r -> new Thread(r, "completer"));
    /** /late requests hand their second half to this executor, whose only thread a test keeps busy. */
    private final ExecutorService late = Executors.newSingleThreadExecutor(r -> new Thread(r, "late"));
    private final Held busy = new Held();
    private final CountDownLatch handed = new CountDownLatch(1);
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel server;
    private int port;

    @BeforeEach
    @SuppressWarnings("deprecation") // NioEventLoopGroup: the one constructor Netty 4.1 and 4.2 share
    void start() throws Exception {
        boss = new NioEventLoopGroup(1);
        workers = new NioEventLoopGroup(2);
        server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpServerCodec(), new PairHandler());
                }
            })
            .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    @AfterEach
    void stop() throws Exception {
        busy.release();
        server.close().sync();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        completer.shutdownNow();
        late.shutdownNow();
    }

    /** One handler per channel: first() at the request's head, second() on the completer at its end. */
    private final class PairHandler extends SimpleChannelInboundHandler<HttpObject> {
        private String first;
        private String uri;
        private String kindAtHead;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) throws Exception {
            if (msg instanceof HttpRequest request) {
                uri = request.uri();
                kindAtHead = PatchFlips.myUnit();
                first = greeter.first();
            }
            if (msg instanceof LastHttpContent) {
                String a = first;
                String path = uri;
                String kindAtLast = path.equals("/kinds") ? PatchFlips.myUnit() : "";
                if (path.equals("/timeout")) {
                    // A timeout scheduled from another thread (so Netty hands it to the loop through
                    // execute) inside the request: it must not hold the request's unit until it fires.
                    completer.execute(() -> {
                        ctx.executor().schedule(() -> { }, 1, TimeUnit.MINUTES);
                        respond(ctx, a + "+" + greeter.second());
                    });
                    return;
                }
                if (path.equals("/timer")) {
                    // The rest after a timer on the request's own loop (Vert.x's setTimer): the request
                    // is still open when it fires, so it runs in the request's unit.
                    ctx.executor().schedule(() -> respond(ctx, a + "+" + greeter.second()), 1500, TimeUnit.MILLISECONDS);
                    handed.countDown();
                    return;
                }
                if (path.equals("/never")) {
                    return; // never answered: the client gives up and closes the connection
                }
                if (path.equals("/late")) {
                    late.execute(() -> respond(ctx, a + "+" + greeter.second()));
                    handed.countDown();
                    return;
                }
                completer.execute(() -> {
                    String body = a + "+" + greeter.second();
                    if (path.equals("/kinds")) {
                        try {
                            body = kindAtHead + "," + kindAtLast + "," + PatchFlips.myUnit() + ","
                                + ctx.executor().submit(PatchFlips::myUnit).get(10, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            body = e.toString();
                        }
                    }
                    respond(ctx, body);
                });
            }
        }
    }

    private static void respond(ChannelHandlerContext ctx, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
            Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        ctx.writeAndFlush(response);
    }

    private CompletableFuture<String> getInBackground(String path) {
        return HttpGets.inBackground(port, path);
    }

    private String get(String path) throws IOException {
        return HttpGets.get(port, path);
    }

    @Test
    @Timeout(60)
    void requestEventsHandlerAndHandedOffWorkRunInOneNettyRequestUnit() throws Exception {
        assertEquals("Netty HTTP request,Netty HTTP request (carried into a Netty channel event),"
            + "Netty HTTP request (carried into an executor task),Netty HTTP request (carried into a Netty event loop task)",
            get("/kinds"),
            "the HttpRequest's handler, the LastHttpContent's, the executor task it submitted and the event-loop "
                + "task that one submitted all run in the request's unit");
        assertEquals("Netty event loop task", workers.next().submit(PatchFlips::myUnit).get(10, TimeUnit.SECONDS),
            "a task submitted to an event loop from outside any unit is a unit of its own");
        assertEquals("Quiescence API (carried into a Netty event loop task)", Quiescence.call(() -> workers.next().submit(PatchFlips::myUnit))
            .get(10, TimeUnit.SECONDS), "a task submitted to an event loop from inside a unit carries it");
    }

    @Test
    @Timeout(60)
    void requestCompletedOnAnotherThreadSeesOneGenerationAndHoldsTheTransitionUntilItsResponse() throws Exception {
        // The late executor's thread is busy, so the task the handler hands it starts after the apply,
        // as it would behind a slow backend call.
        late.execute(busy::hold);
        busy.awaitArrival();
        CompletableFuture<String> response = getInBackground("/late");
        assertTrue(handed.await(10, TimeUnit.SECONDS), "the handler ran first() and handed the rest on");
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        assertFalse(LivePatch.awaitTransition(Duration.ofMillis(500)),
            "the transition waits for the G0 request whose response is not written yet");
        busy.release();
        assertEquals("v1+v1", response.get(10, TimeUnit.SECONDS), "the request ran one generation");
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)), "the transition completes once it responded");
        assertEquals("v2+v2", get("/pair"), "the next request (a new unit, on a kept-alive connection) runs v2");
    }

    /** Review 31 (Vert.x 5 on Netty 4.2): the timer's task ran as a unit of its own, after the apply: v1+v2. */
    @Test
    @Timeout(60)
    void aTimerTheRequestWaitsOnRunsInTheRequestsGeneration() throws Exception {
        CompletableFuture<String> response = getInBackground("/timer");
        assertTrue(handed.await(10, TimeUnit.SECONDS), "the handler ran first() and set its timer");
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        assertEquals("v1+v1", response.get(10, TimeUnit.SECONDS), "the request ran one generation, its timer included");
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)), "the transition completes once it responded");
        assertEquals("v2+v2", get("/pair"), "the next request runs v2");
    }

    @Test
    @Timeout(60)
    void timeoutScheduledByARequestDoesNotHoldItsUnit() throws Exception {
        assertEquals("v1+v1", get("/timeout"));
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)), "a one-minute timeout the request scheduled "
            + "holds nothing: " + LivePatch.status().transition());
    }

    @Test
    @Timeout(60)
    void requestNeverAnsweredHoldsNothingOnceItsConnectionCloses() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /never HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(200); // the server has read it and left it unanswered
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            assertFalse(LivePatch.awaitTransition(Duration.ofMillis(300)), "the open request holds its G0 unit");
        }
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)),
            "once the connection closed, the request holds nothing: " + LivePatch.status().transition());
    }

    @Test
    @Timeout(90)
    void requestsUnderLoadWithPatchesAppliedAndRolledBackNeverSeeTwoGenerations() throws Exception {
        var checker = PatchFlips.run(4, 10, () -> get("/pair"));
        System.out.println("NettyIT: " + checker.units() + " requests, 0 mixed, 0 failed, 20 transitions");
    }
}
