package io.livepatch4j.it;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livepatch4j.control.ControlSockets;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control channel of this JVM's own agent under hostile clients (issue 14, item 11): malformed
 * requests are answered "bad-request", hundreds of idle connections hold at most a few threads and
 * are closed after the read timeout, and the channel serves the next request afterwards.
 */
class ControlChannelIT {

    private static final long SELF = ProcessHandle.current().pid();

    private static Path socket() throws IOException {
        ControlSockets.Located found = ControlSockets.locate(SELF);
        assertEquals(1, found.sockets().size(), found.toString());
        return found.sockets().get(0);
    }

    /** Sends raw bytes, returns the answer's JSON (or null if the agent closed without one). */
    private static JsonObject raw(byte[] bytes) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket()));
            Channels.newOutputStream(ch).write(bytes);
            ch.shutdownOutput();
            DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
            byte[] answer = in.readNBytes(in.readInt());
            return JsonParser.parseString(new String(answer, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    private static byte[] frame(String header) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(b)) {
            d.writeInt(h.length);
            d.write(h);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return b.toByteArray();
    }

    private static JsonObject status() throws IOException {
        JsonObject a = JsonParser.parseString(new String(ControlSockets.locate(SELF)
            .exchange("{\"command\":\"status\"}".getBytes(StandardCharsets.UTF_8), null, java.time.Duration.ofSeconds(30)),
                StandardCharsets.UTF_8))
            .getAsJsonObject();
        assertTrue(a.get("ok").getAsBoolean(), a.toString());
        return a.getAsJsonObject("result");
    }

    @Test
    void theDirectoryIsPrivateAndStatusSaysWhatTheAgentTrusts() throws IOException {
        Path s = socket();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s)));
        JsonObject trust = status().getAsJsonObject("trust");
        assertEquals(false, trust.get("signedOnly").getAsBoolean(), trust.toString());
    }

    @Test
    void malformedRequestsAreAnsweredBadRequest() throws IOException {
        byte[] nested = frame("[".repeat(60_000));
        List<byte[]> inputs = List.of(frame("not json"), frame("[1,2]"), frame("{}"), frame("{\"command\":5}"),
            frame("{\"command\":\"nope\"}"), frame("{\"command\":\"rollback\",\"to\":\"x\"}"),
            frame("{\"command\":\"await\",\"millis\":1e400}"), frame("{\"command\":\"status\",\"strategy\":\"sideways\"}"),
            new byte[] {0, 0, 0, 2, (byte) 0xC3, (byte) 0x28}, // not UTF-8
            new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // a negative length
            new byte[] {0x7f, 0, 0, 0}, // 2 GiB announced
            new byte[] {0, 0}, // cut short
            frame("{\"command\":\"apply\"}"), // no patch frame
            nested);
        for (byte[] input : inputs) {
            JsonObject a = raw(input);
            assertEquals(false, a.get("ok").getAsBoolean(), a.toString());
            assertEquals("bad-request", a.get("error").getAsString(), a.toString());
        }
        status(); // and it still serves
    }

    @Test
    void idleConnectionsHoldFewThreadsAndAreClosedAfterTheReadTimeout() throws Exception {
        List<SocketChannel> idle = new ArrayList<>();
        // Looked up once: the lookup lists /tmp, and 300 of them on a busy machine took longer than the
        // read timeout, so the first connections were closed before the "busy" probe below.
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket());
        long opened = System.nanoTime();
        try {
            for (int i = 0; i < 300; i++) {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                ch.connect(address);
                idle.add(ch);
            }
            Thread.sleep(500);
            long requestThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("livepatch4j-control-request")).count();
            assertTrue(requestThreads <= 4, requestThreads + " request threads for 300 idle connections");
            // Over the limit: answered "busy" at once, before it even sends its request.
            assertTrue(System.nanoTime() - opened < 8_000_000_000L, "opening 300 connections took longer than the "
                + "read timeout allows for this check; the machine is too busy");
            JsonObject busy;
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(address);
                DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
                busy = JsonParser.parseString(new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8)).getAsJsonObject();
            }
            assertEquals("busy", busy.get("error").getAsString(), busy.toString());
            // Each idle connection ends within the read timeout (10 s): with an answer or closed.
            long deadline = System.nanoTime() + 20_000_000_000L;
            for (SocketChannel ch : idle) {
                DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
                try {
                    in.readNBytes(in.readInt());
                } catch (EOFException | java.nio.channels.ClosedChannelException e) {
                    // closed by the agent: also an end
                }
                assertTrue(System.nanoTime() < deadline, "idle connections were not closed within 20 s");
            }
        } finally {
            for (SocketChannel ch : idle) {
                ch.close();
            }
        }
        status();
    }
}
