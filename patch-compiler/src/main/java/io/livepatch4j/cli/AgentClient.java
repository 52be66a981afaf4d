package io.livepatch4j.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Talks to the agent's control socket: one request per connection (the protocol is in docs/cli.md). */
final class AgentClient {

    private final long pid;
    private final Path socket;

    AgentClient(long pid, Path socket) {
        this.pid = pid;
        this.socket = socket;
    }

    long pid() {
        return pid;
    }

    /** Sends a request (and the patch bytes for "apply"); returns the result, or throws the refusal. */
    JsonElement call(JsonObject request, byte[] payload) throws Lp4jException {
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
            JsonObject answer = JsonParser.parseString(new String(in.readNBytes(n), StandardCharsets.UTF_8)).getAsJsonObject();
            if (!answer.get("ok").getAsBoolean()) {
                String kind = answer.get("error").getAsString();
                int code = kind.equals("refused") ? Lp4jException.REFUSED
                    : kind.equals("bad-request") ? Lp4jException.USAGE : Lp4jException.INTERNAL;
                throw new Lp4jException(code, answer.get("message").getAsString());
            }
            return answer.get("result");
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
