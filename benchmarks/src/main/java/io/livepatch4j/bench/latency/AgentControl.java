package io.livepatch4j.bench.latency;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livepatch4j.control.ControlSockets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Talks to the agent in the server JVM over its control socket (found and checked by
 * {@link ControlSockets}, one request per connection, protocol in docs/cli.md), straight from the
 * harness JVM: starting an lp4j JVM for every apply and rollback would compete with the server for
 * the two CPUs and show up in the latency it is meant to measure. The benchmarks keep lp4j and
 * patch-core off their class path (see benchmarks/pom.xml); the control module has no dependencies.
 */
final class AgentControl {

    /** What the agent answered: the result, or the refusal's kind ("refused", "failed", ...) and message. */
    record Answer(boolean ok, JsonElement result, String error, String message) {
    }

    private final ControlSockets.Located socket;

    private AgentControl(ControlSockets.Located socket) {
        this.socket = socket;
    }

    static AgentControl of(long pid) throws IOException {
        ControlSockets.Located socket = ControlSockets.locate(pid);
        if (!socket.found()) {
            throw new IOException("JVM " + pid + " has no control socket (has its agent started?) " + socket.refused());
        }
        return new AgentControl(socket);
    }
    Answer apply(byte[] patch, String source, String strategy) throws IOException {
        JsonObject req = new JsonObject();
        req.addProperty("command", "apply");
        req.addProperty("strategy", strategy);
        req.addProperty("source", source);
        return call(req, patch);
    }

    /** A new generation with the code of generation {@code to}. */
    Answer rollback(long to, String strategy) throws IOException {
        JsonObject req = new JsonObject();
        req.addProperty("command", "rollback");
        req.addProperty("strategy", strategy);
        req.addProperty("to", to);
        return call(req, null);
    }

    /** Waits in the agent (at most {@code millis}) until no transition runs; true if none is left running. */
    boolean await(long millis) throws IOException {
        JsonObject req = new JsonObject();
        req.addProperty("command", "await");
        req.addProperty("millis", millis);
        Answer a = call(req, null);
        return a.ok() && "true".equals(a.result().getAsString());
    }

    JsonObject status() throws IOException {
        JsonObject req = new JsonObject();
        req.addProperty("command", "status");
        Answer a = call(req, null);
        if (!a.ok()) {
            throw new IOException("the agent refused status: " + a.message());
        }
        return a.result().getAsJsonObject();
    }

    private Answer call(JsonObject request, byte[] payload) throws IOException {
        JsonObject answer = JsonParser.parseString(new String(
            socket.exchange(request.toString().getBytes(StandardCharsets.UTF_8), payload, java.time.Duration.ofMinutes(5)),
            StandardCharsets.UTF_8))
            .getAsJsonObject();
        if (answer.get("ok").getAsBoolean()) {
            return new Answer(true, answer.get("result"), null, null);
        }
        return new Answer(false, null, answer.get("error").getAsString(), answer.get("message").getAsString());
    }
}
