package io.livepatch4j.agent.tooling.integrations;

import io.livepatch4j.agent.bootstrap.Fields;
import io.livepatch4j.agent.bootstrap.UnitKind;
import io.livepatch4j.agent.bootstrap.Units;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

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
    public AgentBuilder install(AgentBuilder builder, TypeGate types) {
        return builder
            .type(types.named("io.grpc.internal.ServerImpl$ServerTransportListenerImpl"))
            .transform((b, type, loader, module, pd) -> b.visit(Advice.to(Start.class)
                .on(named("startWrappedCall"))))
            .type(types.named("io.grpc.internal.ServerCallImpl"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(Closed.class).on(named("close").and(takesArguments(2)))))
            .type(types.named("io.grpc.internal.ServerCallImpl$ServerStreamListenerImpl"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(Callback.class).on(namedOneOf("messagesAvailable", "halfClosed", "onReady")))
                .visit(Advice.to(Cancelled.class).on(named("closed").and(takesArguments(1)))));
    }

    /**
     * startWrappedCall(methodName, ServerCallParameters, headers): the call's own unit begins (not the
     * task that starts it), held open by the ServerCallImpl the parameters carry.
     */
    public static final class Start {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(1) Object parameters) {
            return Units.openRequest(Fields.get(parameters, "call"), UnitKind.GRPC_CALL);
        }

        /**
         * A call that failed to start (an interceptor threw) is closed by gRPC through its stream
         * directly, never through ServerCall.close: it is complete here.
         */
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object token, @Advice.Thrown Throwable thrown, @Advice.Argument(1) Object parameters) {
            if (thrown != null) {
                Units.requestDone(Fields.get(parameters, "call"));
            }
            if (token != null) {
                Units.exitTask(token);
            }
        }
    }

    /** ServerCall.close: the call is complete, on whatever thread the service closed it. */
    public static final class Closed {
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.This Object call) {
            Units.requestDone(call);
        }
    }

    /** A listener callback (a message, the half-close, readiness) joins its call's unit while that is open. */
    public static final class Callback {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.FieldValue("call") Object call) {
            return Units.enterRequest(call, UnitKind.GRPC_CALL);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Units.exitTask(token);
        }
    }

    /**
     * The stream closed (after ServerCall.close, or cancelled by the client, a deadline or the
     * transport): the listener's onComplete or onCancel runs, then the call holds nothing open.
     */
    public static final class Cancelled {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.FieldValue("call") Object call) {
            return Units.enterRequest(call, UnitKind.GRPC_CALL);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.FieldValue("call") Object call, @Advice.Enter Object token) {
            Units.requestDone(call);
            Units.exitTask(token);
        }
    }
}
