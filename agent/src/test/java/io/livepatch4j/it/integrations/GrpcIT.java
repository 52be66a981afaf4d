package io.livepatch4j.it.integrations;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.Held;
import io.livepatch4j.it.support.TestPatches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gRPC server (in-process transport, a real stub, the service on a thread pool): a unary method
 * calls Greeter.first, hands the rest to another executor, which calls Greeter.second and responds
 * from there; a client-streaming method calls first() on the first message and second() after the
 * client's half-close. Each call is one unit from its start until ServerCall.close.
 */
@ExtendWith(BackToLoadedCode.class)
class GrpcIT {

    private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<String, String> PAIR = method("Pair", MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<String, String> STREAM = method("Stream",
        MethodDescriptor.MethodType.CLIENT_STREAMING);

    private final Greeter greeter = new Greeter("grpc");
    private final ExecutorService calls = Executors.newFixedThreadPool(4, r -> new Thread(r, "grpc-calls"));
    private final ExecutorService completer = Executors.newFixedThreadPool(4, r -> new Thread(r, "completer"));
    /** "late" requests hand their second half to this executor, whose only thread a test keeps busy. */
    private final ExecutorService late = Executors.newSingleThreadExecutor(r -> new Thread(r, "late"));
    private final Held busy = new Held();
    private final CountDownLatch handed = new CountDownLatch(1);
    private Server server;
    private ManagedChannel channel;

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder().setType(type).setFullMethodName("pair.Pair/" + name)
            .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();
    }

    @BeforeEach
    void start() throws IOException {
        String name = "grpc-it-" + System.nanoTime();
        ServerServiceDefinition service = ServerServiceDefinition.builder("pair.Pair")
            .addMethod(PAIR, ServerCalls.asyncUnaryCall(this::pair))
            .addMethod(STREAM, ServerCalls.asyncClientStreamingCall(this::stream))
            .build();
        server = InProcessServerBuilder.forName(name).executor(calls).addService(service).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        busy.release();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        calls.shutdownNow();
        completer.shutdownNow();
        late.shutdownNow();
    }

    /** Unary: first() here, second() and the response on another thread. */
    private void pair(String request, StreamObserver<String> response) {
        String kindInCall = request.equals("kinds") ? PatchFlips.myUnit() : "";
        String a = greeter.first();
        ExecutorService next = request.equals("late") ? late : completer;
        next.execute(() -> {
            String body = a + "+" + greeter.second();
            response.onNext(request.equals("kinds") ? kindInCall + "," + PatchFlips.myUnit() : body);
            response.onCompleted();
        });
        if (request.equals("late")) {
            handed.countDown();
        }
    }

    /** Client streaming: first() at the first message, second() after the half-close, on another thread. */
    private StreamObserver<String> stream(StreamObserver<String> response) {
        return new StreamObserver<>() {
            private String a;

            @Override
            public void onNext(String value) {
                if (value.equals("kind")) {
                    a = PatchFlips.myUnit();
                } else if (a == null) {
                    a = greeter.first();
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                String first = a;
                String kindAtEnd = first.equals("gRPC server call") ? PatchFlips.myUnit() : "";
                completer.execute(() -> {
                    String b = kindAtEnd.isEmpty() ? greeter.second() : kindAtEnd + "," + PatchFlips.myUnit();
                    response.onNext(first + "+" + b);
                    response.onCompleted();
                });
            }
        };
    }

    private String unary(String request) {
        return ClientCalls.blockingUnaryCall(channel, PAIR, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
            request);
    }

    /** Three messages, a pause between them, then the half-close: each message is its own listener callback. */
    private String streamed() throws Exception {
        return streamed("m");
    }

    private String streamed(String prefix) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        StreamObserver<String> requests = ClientCalls.asyncClientStreamingCall(channel.newCall(STREAM,
            CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)), observer(answer));
        for (int i = 0; i < 3; i++) {
            requests.onNext(prefix.equals("kind") ? "kind" : prefix + i);
            Thread.sleep(1);
        }
        requests.onCompleted();
        return answer.get(10, TimeUnit.SECONDS);
    }

    private static StreamObserver<String> observer(CompletableFuture<String> answer) {
        return new StreamObserver<>() {
            @Override
            public void onNext(String value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    @Test
    @Timeout(60)
    void serviceCodeAndWorkItHandsOffRunInTheCallsUnit() throws Exception {
        assertEquals("gRPC server call,gRPC server call (carried into an executor task)", unary("kinds"),
            "the service method and the executor task it submitted run in the call's unit");
        assertEquals("gRPC server call+gRPC server call,gRPC server call (carried into an executor task)", streamed("kind"),
            "a streaming call's message callbacks, its half-close and the task that one submitted run in its unit");
    }

    @Test
    @Timeout(60)
    void callCompletedOnAnotherThreadSeesOneGenerationAndHoldsTheTransitionUntilClosed() throws Exception {
        // The late executor's thread is busy, so the task the service hands it starts after the apply.
        late.execute(busy::hold);
        busy.awaitArrival();
        CompletableFuture<String> response = CompletableFuture.supplyAsync(() -> unary("late"),
            Executors.newSingleThreadExecutor(r -> new Thread(r, "client")));
        assertTrue(handed.await(10, TimeUnit.SECONDS), "the service ran first() and handed the rest on");
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        assertFalse(LivePatch.awaitTransition(Duration.ofMillis(500)),
            "the transition waits for the G0 call that is not closed yet");
        busy.release();
        assertEquals("v1+v1", response.get(10, TimeUnit.SECONDS), "the call ran one generation");
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)), "the transition completes once it closed");
        assertEquals("v2+v2", unary("pair"), "the next call runs v2");
    }

    @Test
    @Timeout(60)
    void callWhoseLastCallbackShutdownNowDrainsHoldsNothingOpen() throws Exception {
        // The service hands its second half to the busy late thread, so the call closes when the test says.
        late.execute(busy::hold);
        busy.awaitArrival();
        ExecutorService client = Executors.newSingleThreadExecutor(r -> new Thread(r, "client"));
        CountDownLatch occupied = new CountDownLatch(4);
        CountDownLatch free = new CountDownLatch(1);
        try {
            CompletableFuture<String> response = CompletableFuture.supplyAsync(() -> unary("late"), client);
            assertTrue(handed.await(10, TimeUnit.SECONDS), "the service ran first() and handed the rest on");
            for (int i = 0; i < 4; i++) { // every call-executor thread busy: what gRPC queues there stays queued
                calls.execute(() -> {
                    occupied.countDown();
                    try {
                        free.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertTrue(occupied.await(10, TimeUnit.SECONDS), "the call executor's four threads are busy");
            busy.release(); // the late thread responds and closes the call; gRPC queues the listener's onComplete
            assertEquals("v1+v1", response.get(10, TimeUnit.SECONDS), "the call ran one generation");
            List<Runnable> drained = calls.shutdownNow(); // the queued onComplete never runs
            assertFalse(drained.isEmpty(), "the call's last callback was still queued on the call executor");
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)),
                "a callback drained by shutdownNow holds the call's unit no longer, though not collected: "
                    + LivePatch.status().transition());
            Reference.reachabilityFence(drained); // so the collector cannot be what released it
        } finally {
            free.countDown();
            client.shutdownNow();
        }
    }

    @Test
    @Timeout(60)
    void callTheClientCancelsHoldsNothingOnceCancelled() throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        StreamObserver<String> requests = ClientCalls.asyncClientStreamingCall(channel.newCall(STREAM,
            CallOptions.DEFAULT), observer(answer));
        requests.onNext("m0"); // first() ran; the call waits for more
        Thread.sleep(200);
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        assertFalse(LivePatch.awaitTransition(Duration.ofMillis(300)), "the open call holds its G0 unit");
        requests.onError(new RuntimeException("the client gives up")); // cancels the call
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)),
            "once cancelled, the call holds nothing: " + LivePatch.status().transition());
    }

    @Test
    @Timeout(90)
    void unaryCallsUnderLoadWithPatchesAppliedAndRolledBackNeverSeeTwoGenerations() throws Exception {
        var checker = PatchFlips.run(4, 8, () -> unary("pair"));
        System.out.println("GrpcIT unary: " + checker.units() + " calls, 0 mixed, 0 failed, 16 transitions");
    }

    @Test
    @Timeout(90)
    void streamingCallsUnderLoadWithPatchesAppliedAndRolledBackNeverSeeTwoGenerations() throws Exception {
        var checker = PatchFlips.run(4, 8, this::streamed);
        System.out.println("GrpcIT streaming: " + checker.units() + " calls, 0 mixed, 0 failed, 16 transitions");
    }
}
