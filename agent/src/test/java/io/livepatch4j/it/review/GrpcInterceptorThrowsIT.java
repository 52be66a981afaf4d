package io.livepatch4j.it.review;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise broken: docs/agent.md, units of work table, "gRPC server call": the unit ends at
 * ServerCall.close, "or the call's stream closes (client cancellation, deadline, transport gone)";
 * DESIGN.md: the transition completes when no unit of an older generation is open.
 *
 * <p>A server interceptor rejects the call by throwing (a common way to fail authentication). The
 * call's unit opened at startWrappedCall's entry, held open by the ServerCallImpl; gRPC's
 * ServerImpl then closes the *stream* itself (stream.close, not ServerCall.close), and no
 * ServerStreamListenerImpl exists whose closed() would end the unit. The failed call is over (the
 * client got its error) before the patch is applied, so the transition must not wait for it.
 * Observed: the unit of G0 stays open until the ServerCallImpl happens to be garbage-collected; on a
 * JVM that does not collect (an idle server), the transition hangs.
 */
@ExtendWith(BackToLoadedCode.class)
class GrpcInterceptorThrowsIT {

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

    private static final MethodDescriptor<String, String> ECHO = MethodDescriptor.<String, String>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("review.Echo/Echo")
        .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();

    @Test
    @Timeout(60)
    void aCallRejectedByAThrowingInterceptorHoldsNoUnitOpen() throws Exception {
        Patch v2 = TestPatches.greeterV2();
        ExecutorService calls = Executors.newFixedThreadPool(2, r -> new Thread(r, "grpc-calls"));
        ServerInterceptor rejectAll = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                throw new StatusRuntimeException(Status.UNAUTHENTICATED);
            }
        };
        ServerServiceDefinition service = ServerInterceptors.intercept(ServerServiceDefinition.builder("review.Echo")
            .addMethod(ECHO, ServerCalls.asyncUnaryCall((String req, io.grpc.stub.StreamObserver<String> resp) -> {
                resp.onNext(req);
                resp.onCompleted();
            })).build(), rejectAll);
        String name = "review-grpc-" + System.nanoTime();
        Server server = InProcessServerBuilder.forName(name).executor(calls).addService(service).build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
                channel, ECHO, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hi"));
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
            Thread.sleep(100); // the server side has finished with the call
            LivePatch.apply(v2, Strategy.LOCAL);
            boolean completed = LivePatch.awaitTransition(Duration.ofSeconds(5));
            String status = StatusJson.of(LivePatch.status());
            System.out.println("[review] completed=" + completed + " " + status);
            assertTrue(completed, "no unit of the rejected call holds the transition: " + status);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            calls.shutdownNow();
            System.gc(); // so that BackToLoadedCode's rollback can complete
        }
    }
}
