package io.livepatch4j.agent.tooling.integrations;

import java.util.List;

import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.EXIT_TASK;
import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.hooks;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.SERVER;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.call;

/**
 * gRPC-java servers: a server call is one unit of its own from its start (ServerImpl's startWrappedCall,
 * which runs the service's startCall, interceptors first) until ServerCall.close or its cancellation,
 * whichever threads run its listener callbacks (SerializingExecutor tasks on the call executor) and
 * whichever thread closes it. The ServerCallImpl (built earlier, by the method lookup task, which runs
 * no service code) is the request that holds the unit open.
 */
final class Grpc implements Integration {

    @Override
    public String name() {
        return "gRPC-java server calls";
    }

    @Override
    public void declare(TypeGate types) {
        // startWrappedCall(methodName, ServerCallParameters, headers): the call's own unit begins (not
        // the task that starts it), held open by the ServerCallImpl the parameters carry. A call that
        // failed to start (an interceptor threw) is closed by gRPC through its stream directly, never
        // through ServerCall.close: it is complete when startWrappedCall throws.
        types.weave(hooks("io/grpc/internal/ServerImpl$ServerTransportListenerImpl", List.of(new Hooks.MethodHook(
            "startWrappedCall", Hooks.any(), call(SERVER, "grpcStart", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.ARG1),
            call(SERVER, "grpcStarted", "(Ljava/lang/Object;Ljava/lang/Throwable;Ljava/lang/Object;)V",
                Hooks.Source.ENTER, Hooks.Source.THROWN, Hooks.Source.ARG1), true)), List.of()));
        // ServerCall.close: the call is complete, on whatever thread the service closed it.
        types.weave(hooks("io/grpc/internal/ServerCallImpl", List.of(new Hooks.MethodHook("close", Hooks.arguments(2), null,
            call(SERVER, "requestDone", "(Ljava/lang/Object;)V", Hooks.Source.THIS), true)), List.of()));
        // A listener callback (a message, the half-close, readiness) joins its call's unit while that
        // is open. When the stream closed (after ServerCall.close, or cancelled by the client, a
        // deadline or the transport), the listener's onComplete or onCancel runs, then the call holds
        // nothing open.
        Hooks.Call event = call(SERVER, "grpcEvent", "(Ljava/lang/Object;)Ljava/lang/Object;", Hooks.Source.FIELD).field("call");
        types.weave(hooks("io/grpc/internal/ServerCallImpl$ServerStreamListenerImpl",
            List.of(new Hooks.MethodHook("messagesAvailable", Hooks.any(), event, EXIT_TASK, true),
                new Hooks.MethodHook("halfClosed", Hooks.any(), event, EXIT_TASK, true),
                new Hooks.MethodHook("onReady", Hooks.any(), event, EXIT_TASK, true),
                new Hooks.MethodHook("closed", Hooks.arguments(1), event,
                    call(SERVER, "requestEnded", "(Ljava/lang/Object;Ljava/lang/Object;)V", Hooks.Source.FIELD, Hooks.Source.ENTER)
                        .field("call"), true)), List.of()));
    }
}
