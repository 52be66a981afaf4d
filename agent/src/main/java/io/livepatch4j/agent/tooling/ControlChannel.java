package io.livepatch4j.agent.tooling;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livepatch4j.patch.PatchException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * How {@code lp4j} talks to the agent from outside the JVM: a Unix domain socket in a directory that
 * only the JVM's user can open (mode 700, owner checked), never a TCP port. Its path is published as
 * the system property {@value #PROPERTY}, which lp4j reads through the Attach API. One request per
 * connection: a length-prefixed JSON header, then for "apply" the patch file's bytes, length-prefixed;
 * the answer is one length-prefixed JSON object. The protocol is internal to livepatch4j (both ends
 * ship together) and described in docs/cli.md.
 */
final class ControlChannel {

    static final String PROPERTY = "livepatch4j.control";
    private static final System.Logger LOG = System.getLogger("io.livepatch4j");
    private static final int MAX_HEADER = 1 << 20;
    private static final int MAX_PATCH = 256 << 20;

    private ControlChannel() {}

    /** Opens the socket and serves requests on a daemon thread; returns its path. */
    static Path open() throws IOException {
        Path dir = Path.of("/tmp", ".livepatch4j-" + uid());
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        checkPrivate(dir);
        Path socket = dir.resolve(ProcessHandle.current().pid() + ".sock");
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        socket.toFile().deleteOnExit();
        Thread t = new Thread(() -> serve(server), "livepatch4j-control");
        t.setDaemon(true);
        t.start();
        System.setProperty(PROPERTY, socket.toString());
        return socket;
    }

    /** Refuses a directory that another user owns or can open: someone could answer in our place. */
    private static void checkPrivate(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new IOException(dir + " is a symbolic link; remove it so the agent can create its own control directory");
        }
        Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (!String.valueOf(owner).equals(uid())) {
            throw new IOException(dir + " belongs to uid " + owner + ", not this JVM's uid " + uid()
                + "; remove it so the agent can create its own control directory");
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    static String uid() throws IOException {
        return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    private static void serve(ServerSocketChannel server) {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                Thread t = new Thread(() -> handle(client), "livepatch4j-control-request");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "livepatch4j: control channel stopped: {0}", e.toString());
                return;
            }
        }
    }

    private static void handle(SocketChannel client) {
        try (client; InputStream in = Channels.newInputStream(client); OutputStream out = Channels.newOutputStream(client)) {
            DataInputStream data = new DataInputStream(in);
            JsonObject request = JsonParser.parseString(new String(readFrame(data, MAX_HEADER), StandardCharsets.UTF_8))
                .getAsJsonObject();
            String answer;
            try {
                answer = answer(request, data);
            } catch (PatchException e) {
                answer = error("refused", e.getMessage());
            } catch (IllegalArgumentException | IllegalStateException e) {
                answer = error("bad-request", e.getMessage());
            } catch (RuntimeException | InterruptedException | Error e) {
                // An error of the agent's own (an assertion, a class that cannot link) still gets an
                // answer: lp4j says what failed instead of "closed the connection".
                LOG.log(System.Logger.Level.WARNING, "livepatch4j: a control request failed", e);
                answer = error("failed", e.toString());
            }
            DataOutputStream o = new DataOutputStream(out);
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            o.writeInt(bytes.length);
            o.write(bytes);
            o.flush();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "livepatch4j: control connection ended: {0}", e.toString());
        }
    }

    private static String answer(JsonObject request, DataInputStream data)
        throws PatchException, IOException, InterruptedException {
        String command = request.get("command").getAsString();
        return switch (command) {
            case "status" -> ok(StatusJson.of(LivePatch.status()));
            case "apply" -> {
                byte[] patch = readFrame(data, MAX_PATCH);
                String source = request.has("source") ? request.get("source").getAsString() : "patch";
                yield ok(StatusJson.of(LivePatch.apply(patch, source, strategy(request))));
            }
            case "rollback" -> ok(StatusJson.of(request.has("to")
                ? LivePatch.rollback(request.get("to").getAsLong(), strategy(request))
                : LivePatch.rollback(strategy(request))));
            case "reverse" -> ok(StatusJson.of(LivePatch.reverse()));
            case "await" -> ok(String.valueOf(LivePatch.awaitTransition(Duration.ofMillis(request.get("millis").getAsLong()))));
            default -> throw new IllegalArgumentException("unknown command '" + command
                + "'; this lp4j and the agent in the JVM are of different versions");
        };
    }

    private static Strategy strategy(JsonObject request) {
        return request.has("strategy") ? Strategy.parse(request.get("strategy").getAsString()) : Strategy.LOCAL;
    }

    private static String ok(String resultJson) {
        return "{\"ok\":true,\"result\":" + resultJson + "}";
    }

    private static String error(String kind, String message) {
        JsonObject o = new JsonObject();
        o.addProperty("ok", false);
        o.addProperty("error", kind);
        o.addProperty("message", message);
        return o.toString();
    }

    static byte[] readFrame(DataInputStream in, int max) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max) {
            throw new IOException("frame of " + n + " bytes is out of range");
        }
        return in.readNBytes(n);
    }
}
