package io.livepatch4j.cli;

import com.google.gson.JsonObject;
import io.livepatch4j.control.ControlClient;
import io.livepatch4j.control.ControlSockets;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;

/**
 * lp4j's side of the agent's control socket: the protocol is {@link ControlClient}'s (shared with
 * the benchmarks); this turns what the agent or the connection says into lp4j's one line and exit
 * code (docs/cli.md).
 */
final class AgentClient {

    private final ControlClient client;
    /** Whether lp4j loaded the agent to reach it (attach mode's first apply). */
    private boolean loadedNow;

    AgentClient(ControlSockets.Located socket) {
        this(socket, Duration.ofMinutes(10));
    }

    AgentClient loadedNow() {
        loadedNow = true;
        return this;
    }

    boolean wasLoadedNow() {
        return loadedNow;
    }

    /** A client whose every request is answered within {@code limit} or given up (lp4j list). */
    AgentClient(ControlSockets.Located socket, Duration limit) {
        this.client = ControlClient.of(socket, limit);
    }

    long pid() {
        return client.pid();
    }

    JsonObject status() throws Lp4jException {
        return result(() -> client.status());
    }

    /**
     * Waits in the agent, at most {@code millis}, for the running transition to end: returns as soon
     * as it does, where a sleep would wait out its time. An agent that cannot be reached is reported
     * by the next status request.
     */
    void await(long millis) {
        try {
            client.await(millis);
        } catch (IOException | RuntimeException e) {
            // The status request that follows says what is wrong; meanwhile wait out the time, so
            // that a failing await never makes the caller's loop spin.
            try {
                Thread.sleep(millis);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The agent's result; {@code "unchanged": true} when the patch was already live. */
    JsonObject apply(byte[] patch, String source, String strategy) throws Lp4jException {
        return result(() -> client.apply(patch, source, strategy));
    }

    /** The agent's result; {@code "unchanged": true} when there was nothing to undo. */
    JsonObject rollback(Long to, String strategy) throws Lp4jException {
        return result(() -> client.rollback(to, strategy));
    }

    /** The agent readied for a checkpoint (Resources notified, heap shrunk, socket parked): its figures. */
    JsonObject checkpointPrepare(boolean shrink, long resumeAfterMillis) throws Lp4jException {
        return result(() -> client.checkpointPrepare(shrink, resumeAfterMillis));
    }

    /** The checkpoint did not stop the JVM: its agent opens its socket again and notifies the Resources. */
    void resume() throws IOException {
        client.resume();
    }

    private interface Request {
        ControlClient.Answer send() throws IOException;
    }

    private JsonObject result(Request request) throws Lp4jException {
        ControlClient.Answer answer;
        try {
            answer = request.send();
        } catch (ControlSockets.ControlException | ControlSockets.ControlTimeout e) {
            throw new Lp4jException(Lp4jException.TARGET, e.getMessage(), e);
        } catch (EOFException e) {
            throw gone("closed the connection before answering", e);
        } catch (IOException e) {
            throw gone("could not be reached (" + e.getMessage() + ")", e);
        }
        if (!answer.ok()) {
            int code = switch (answer.error()) {
                case "refused" -> Lp4jException.REFUSED;
                case "bad-request" -> Lp4jException.USAGE;
                case "busy" -> Lp4jException.TARGET;
                default -> Lp4jException.INTERNAL;
            };
            throw new Lp4jException(code, answer.message());
        }
        return answer.result().getAsJsonObject();
    }

    private Lp4jException gone(String what, Exception e) {
        long pid = pid();
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
}
