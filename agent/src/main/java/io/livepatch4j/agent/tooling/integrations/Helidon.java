package io.livepatch4j.agent.tooling.integrations;

import java.util.List;

import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.hooks;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.SERVER;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.call;

/**
 * Helidon SE 4's WebServer. Its listener starts a virtual thread per connection (its own
 * {@code ThreadPerTaskExecutor}, used for nothing else), and that thread loops over the connection:
 * on a kept-alive one, request after request for as long as the client keeps it; after an upgrade,
 * WebSocket frames or HTTP/2 frames. As a virtual thread's run, the loop would be one unit per
 * connection, and a transition would wait for every kept-alive connection to close.
 * <ul>
 *   <li>The loop is server work ({@code ExecutorHooks#serverWorkStarting}): what the executor starts
 *   for it carries nothing and its run is no unit. So is a connection's asynchronous socket writer
 *   ({@code SocketWriterAsync}, with {@code writeQueueLength} or smart asynchronous writes), which
 *   the connection starts inside its first request and which lives as long as the connection.</li>
 *   <li>The loop is a poll loop ({@code PollHooks}), its reads the polls: the read of a request's
 *   prologue ({@code Http1Prologue.readPrologue}, entered) ends the last request's unit, and the
 *   request's unit begins once its headers are read ({@code Http1Headers.readHeaders}, returned),
 *   until the connection's next read: the connection listeners' {@code headers}, the routing and the
 *   request's entity all run in it, until the routing is done and Helidon drains what the handler
 *   left unread of the body ({@code consumeEntity}, entered). Not earlier: a client that sends a request line and then stalls
 *   (slowly, or as an attack) would hold every transition until the connection's idle timeout
 *   (review 34b). A WebSocket frame is a unit likewise ({@code WsConnection.readFrame}: the
 *   listener's {@code onMessage} for it). An HTTP/2 connection's reads end the unit of the request
 *   that upgraded it (its stream carries it); each stream runs on a virtual thread of its own, a
 *   unit. A connection whose handling ends ({@code handle}, left) ends the unit its last read
 *   began.</li>
 * </ul>
 * The same names hold from Helidon 4.0 to 4.5 ({@code startWriterIfNeeded} is 4.5's name for what
 * {@code checkRunning} did before). With a listener executor of another kind the loop is a unit, and
 * each read a quiescence point of it (PollHooks#loopTask): nothing mixes, and an idle connection holds
 * its unit until its next request.
 */
final class Helidon implements Integration {

    private static final Hooks.Call READING = call(SERVER, "helidonReading", "()V");
    private static final Hooks.Call CLOSED = call(SERVER, "helidonClosed", "()V");

    @Override
    public String name() {
        return "Helidon SE 4";
    }

    @Override
    public void declare(TypeGate types) {
        types.weave(hooks("io/helidon/webserver/ThreadPerTaskExecutor", List.of(ServerCalls.serverWork("execute",
            Hooks.arguments(1))), List.of()));
        types.weave(hooks("io/helidon/common/socket/SocketWriterAsync", List.of(
            ServerCalls.serverWork("checkRunning", Hooks.arguments(0)),
            ServerCalls.serverWork("startWriterIfNeeded", Hooks.arguments(0))), List.of()));
        types.weave(hooks("io/helidon/webserver/http1/Http1Prologue", List.of(new Hooks.MethodHook("readPrologue",
            Hooks.arguments(0), READING, null, false)), List.of()));
        types.weave(hooks("io/helidon/webserver/http1/Http1Headers", List.of(new Hooks.MethodHook("readHeaders",
            Hooks.arguments(1), null, call(SERVER, "helidonRequestRead", "()V"), false)), List.of()));
        // Once routed, the rest of an unread request body is drained (consumeEntity): no application
        // code runs there, and a client that stops sending it must not hold the transition (review 34c).
        types.weave(hooks("io/helidon/webserver/http1/Http1Connection", List.of(
            new Hooks.MethodHook("consumeEntity", Hooks.any(), READING, null, false),
            new Hooks.MethodHook("handle", Hooks.any(), null, CLOSED, true)), List.of()));
        types.weave(hooks("io/helidon/webserver/websocket/WsConnection", List.of(
            new Hooks.MethodHook("readFrame", Hooks.arguments(0), READING, call(SERVER, "helidonFrameRead", "()V"), false),
            new Hooks.MethodHook("handle", Hooks.any(), null, CLOSED, true)), List.of()));
        types.weave(hooks("io/helidon/webserver/http2/Http2Connection", List.of(
            new Hooks.MethodHook("readPreface", Hooks.arguments(0), READING, null, false),
            new Hooks.MethodHook("readFrame", Hooks.arguments(0), READING, null, false),
            new Hooks.MethodHook("handle", Hooks.any(), null, CLOSED, true)), List.of()));
    }
}
