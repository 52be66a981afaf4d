package io.livepatch4j.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livepatch4j.control.ControlSockets;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Talks to the agent's control socket: one request per connection (the protocol is in docs/cli.md),
 * each connection checked anew to be served by the JVM's user ({@link ControlSockets.Located#connect}).
 */
final class AgentClient {

    private final long pid;
    private final ControlSockets.Located socket;
    /** The longest any answer may take: a status at once, an apply with its hooks and barrier. */
    private final Duration limit;

    AgentClient(ControlSockets.Located socket) {
        this(socket, Duration.ofMinutes(10));
    }

    /** A client whose every request is answered within {@code limit} or given up (lp4j list). */
    AgentClient(ControlSockets.Located socket, Duration limit) {
        this.pid = socket.pid();
        this.socket = socket;
        this.limit = limit;
    }

    /**
     * How long a request may take to be answered: status and rollback requests are answered at once
     * by a running JVM, await when its wait ends; an apply waits for its hooks (hookTimeoutMillis)
     * and, with the global strategy, for quiescence (globalTimeoutMillis), which the JVM bounds.
     */
    private Duration timeout(JsonObject request) {
        String command = request.has("command") ? request.get("command").getAsString() : "";
        Duration d = switch (command) {
            case "status" -> Duration.ofSeconds(30);
            case "await" -> Duration.ofMillis(request.get("millis").getAsLong()).plusSeconds(30);
            default -> Duration.ofMinutes(10);
        };
        return d.compareTo(limit) < 0 ? d : limit;
    }

    long pid() {
        return pid;
    }

    /** Sends a request (and the patch bytes for "apply"); returns the result, or throws the refusal. */
    JsonElement call(JsonObject request, byte[] payload) throws Lp4jException {
        try {
            byte[] bytes = socket.exchange(request.toString().getBytes(StandardCharsets.UTF_8), payload, timeout(request));
            JsonObject answer = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject();
            if (!answer.get("ok").getAsBoolean()) {
                String kind = answer.get("error").getAsString();
                int code = switch (kind) {
                    case "refused" -> Lp4jException.REFUSED;
                    case "bad-request" -> Lp4jException.USAGE;
                    case "busy" -> Lp4jException.TARGET;
                    default -> Lp4jException.INTERNAL;
                };
                throw new Lp4jException(code, answer.get("message").getAsString());
            }
            return answer.get("result");
        } catch (ControlSockets.ControlException | ControlSockets.ControlTimeout e) {
            throw new Lp4jException(Lp4jException.TARGET, e.getMessage(), e);
        } catch (EOFException e) {
            throw gone("closed the connection before answering", e);
        } catch (IOException e) {
            throw gone("could not be reached (" + e.getMessage() + ")", e);
        }
    }

    private Lp4jException gone(String what, Exception e) {
        boolean alive = ProcessHandle.of(pid).map(AgentClient::stillAlive).orElse(false);
        return new Lp4jException(Lp4jException.TARGET, "JVM " + pid + " " + what
            + (alive ? "; see its log" : ": it exited") + ". If a patch was being applied, check with 'lp4j status --pid "
            + pid + "' once it runs again", e);
    }

    /** A JVM that closed our connection may be exiting: give it a moment before saying it lives. */
    private static boolean stillAlive(ProcessHandle p) {
        try {
            p.onExit().get(1, java.util.concurrent.TimeUnit.SECONDS);
            return false;
        } catch (java.util.concurrent.TimeoutException e) {
            return p.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return p.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return p.isAlive();
        }
    }

    JsonObject status() throws Lp4jException {
        JsonObject req = new JsonObject();
        req.addProperty("command", "status");
        return call(req, null).getAsJsonObject();
    }
}
