package io.livepatch4j.bench.latency;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Talks to the agent in the server JVM over its control socket ({@code /tmp/.livepatch4j-<uid>/<pid>.sock},
 * one request per connection, protocol in docs/cli.md), straight from the harness JVM: starting an
 * lp4j JVM for every apply and rollback would compete with the server for the two CPUs and show up
 * in the latency it is meant to measure. The framing in {@code call} repeats lp4j's AgentClient on
 * purpose: the benchmarks keep lp4j and patch-core off their class path (see benchmarks/pom.xml),
 * and the protocol it follows is the documented one, not AgentClient's internals.
 */
final class AgentControl {

    /** What the agent answered: the result, or the refusal's kind ("refused", "failed", ...) and message. */
    record Answer(boolean ok, JsonElement result, String error, String message) {
    }

    private final Path socket;

    private AgentControl(Path socket) {
        this.socket = socket;
    }

    static AgentControl of(long pid) throws IOException {
        Object uid = Files.getAttribute(Path.of("/proc", String.valueOf(pid)), "unix:uid");
        return new AgentControl(Path.of("/tmp", ".livepatch4j-" + uid, pid + ".sock"));
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
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(ch));
            byte[] header = request.toString().getBytes(StandardCharsets.UTF_8);
            out.writeInt(header.length);
            out.write(header);
            if (payload != null) {
                out.writeInt(payload.length);
                out.write(payload);
            }
            out.flush();
            DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
            int n = in.readInt();
            JsonObject answer = JsonParser.parseString(new String(in.readNBytes(n), StandardCharsets.UTF_8))
                .getAsJsonObject();
            if (answer.get("ok").getAsBoolean()) {
                return new Answer(true, answer.get("result"), null, null);
            }
            return new Answer(false, null, answer.get("error").getAsString(),
                    answer.get("message").getAsString());
        }
    }
}
