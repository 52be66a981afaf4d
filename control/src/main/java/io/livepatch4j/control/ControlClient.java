package io.livepatch4j.control;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The client side of the control protocol (docs/cli.md), shared by lp4j and the benchmarks: one
 * request per connection to a socket {@link ControlSockets#locate} found and checked, each
 * connection checked anew to be served by the JVM's user. It says what the agent answered; what
 * to make of a refusal is the caller's.
 */
public final class ControlClient {

    /**
     * What the agent answered: the result, or the refusal's kind ("refused", "bad-request", "busy",
     * "failed") and message.
     */
    public record Answer(boolean ok, JsonElement result, String error, String message) {

        /** An apply or rollback that had nothing to do (the patch is live, nothing to undo): done, no new generation. */
        public boolean unchanged() {
            return ok && result != null && result.isJsonObject() && result.getAsJsonObject().has("unchanged")
                && result.getAsJsonObject().get("unchanged").getAsBoolean();
        }
    }

    private final ControlSockets.Located socket;
    /** The longest any answer may take. */
    private final Duration limit;

    private ControlClient(ControlSockets.Located socket, Duration limit) {
        this.socket = socket;
        this.limit = limit;
    }

    /** A client of the agent behind {@code socket}, whose every request is answered within {@code limit} or given up. */
    public static ControlClient of(ControlSockets.Located socket, Duration limit) {
        if (!socket.found()) {
            throw new IllegalArgumentException("JVM " + socket.pid() + " has no control socket " + socket.refused());
        }
        return new ControlClient(socket, limit);
    }

    /**
     * The client of JVM {@code pid}'s agent; an IOException if it has none lp4j may use. An agent
     * that is opening its socket ({@link ControlSockets.Located#opening}) gets up to
     * {@link ControlSockets#OPENING_WAIT}.
     */
    public static ControlClient of(long pid, Duration limit) throws IOException {
        ControlSockets.Located socket = ControlSockets.locateOrAwait(pid);
        if (!socket.found()) {
            throw new IOException("JVM " + pid + " has no control socket (has its agent started?)"
                + (socket.refused().isEmpty() ? "" : " " + socket.refused()));
        }
        return new ControlClient(socket, limit);
    }

    public long pid() {
        return socket.pid();
    }

    public Answer status() throws IOException {
        return call(request("status"), null);
    }

    /** Applies {@code patch} (the patch file's bytes); {@code source} names it in the agent's log. */
    public Answer apply(byte[] patch, String source, String strategy) throws IOException {
        JsonObject req = request("apply");
        req.addProperty("strategy", strategy);
        req.addProperty("source", source);
        return call(req, patch);
    }

    /** Undoes the last patch in effect ({@code to} null), or runs generation {@code to}'s code again. */
    public Answer rollback(Long to, String strategy) throws IOException {
        JsonObject req = request("rollback");
        req.addProperty("strategy", strategy);
        if (to != null) {
            req.addProperty("to", to);
        }
        return call(req, null);
    }

    /** Waits in the agent (at most {@code millis}) until no transition runs; true if none is left running. */
    public boolean await(long millis) throws IOException {
        JsonObject req = request("await");
        req.addProperty("millis", millis);
        Answer a = call(req, null);
        return a.ok() && "true".equals(a.result().getAsString());
    }

    /**
     * Readies the JVM for a checkpoint: its org.crac Resources notified, its heap collected and given
     * back ({@code shrink}), its control socket parked until the restore, until {@link #resume}, or
     * for {@code resumeAfterMillis} at most.
     */
    public Answer checkpointPrepare(boolean shrink, long resumeAfterMillis) throws IOException {
        JsonObject req = request("checkpoint-prepare");
        req.addProperty("shrink", shrink);
        req.addProperty("millis", resumeAfterMillis);
        return call(req, null);
    }

    /** After {@link #checkpointPrepare}: the checkpoint did not stop the process; the agent goes on. */
    public void resume() throws IOException {
        socket.resumeAfterCheckpoint();
    }

    private static JsonObject request(String command) {
        JsonObject req = new JsonObject();
        req.addProperty("command", command);
        return req;
    }

    /**
     * How long a request may take to be answered: status at once, await when its wait ends; an apply
     * or rollback waits for its hooks and, with the global strategy, for quiescence, which the JVM bounds.
     */
    private Duration timeout(JsonObject request) {
        Duration d = switch (request.get("command").getAsString()) {
            case "status" -> Duration.ofSeconds(30);
            case "await" -> Duration.ofMillis(request.get("millis").getAsLong()).plusSeconds(30);
            default -> Duration.ofMinutes(10);
        };
        return d.compareTo(limit) < 0 ? d : limit;
    }

    private Answer call(JsonObject request, byte[] payload) throws IOException {
        byte[] bytes = socket.exchange(request.toString().getBytes(StandardCharsets.UTF_8), payload, timeout(request));
        JsonObject answer = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject();
        if (answer.get("ok").getAsBoolean()) {
            return new Answer(true, answer.get("result"), null, null);
        }
        return new Answer(false, null, answer.get("error").getAsString(), answer.get("message").getAsString());
    }
}
