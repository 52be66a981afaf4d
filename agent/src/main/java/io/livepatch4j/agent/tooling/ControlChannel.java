package io.livepatch4j.agent.tooling;

import com.google.gson.JsonObject;
import io.livepatch4j.control.ControlSockets;
import io.livepatch4j.control.Frames;
import io.livepatch4j.patch.PatchException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * How {@code lp4j} talks to the agent from outside the JVM: a Unix domain socket in this JVM's
 * private directory ({@link AgentDirectory}; where it is and who may answer on it:
 * {@link ControlSockets}), never a TCP port. One request per connection ({@link ControlRequest});
 * the answer is one frame holding a JSON object. The protocol is internal to livepatch4j (both ends
 * ship together) and described in docs/cli.md.
 *
 * <p>Limits, so that no client can exhaust the JVM through it (docs/security.md): at most
 * {@value #HANDLERS} requests are served at once, and a connection over that is answered "busy" at
 * once; a request must arrive whole within {@link #READ_TIMEOUT} or its connection is closed; the
 * header and the patch are bounded ({@link ControlRequest}); and nothing a request does, an
 * {@link OutOfMemoryError} included, stops the channel for the next one.
 *
 * <p>Requests run on plain threads, one per request, not on an executor: the agent makes the JDK's
 * executors' tasks units of work, and a request (a global-strategy apply above all) must not run
 * inside one. Concurrency: {@link #SERVING} bounds the request threads; {@link #ARRIVING} holds the
 * deadline of each connection whose request is still arriving, and whoever removes a connection from
 * it first owns what happens next: the request thread (it read the request in time) or the watchdog
 * (it closes the connection). Opening, parking and reopening the socket (around a checkpoint) happen
 * under the class's monitor, which guards {@link #listening} and {@link #socket}; a serving thread
 * whose socket was closed under it asks the same monitor whether that was a park.
 */
final class ControlChannel {

    static final String PROPERTY = "livepatch4j.agent.control";
    /** {@link #PROPERTY}'s value while the socket is being opened (lp4j then waits for it). */
    static final String OPENING = "opening";
    /** {@link #PROPERTY}'s value while the socket is parked for a checkpoint (lp4j says so). */
    static final String PARKED = io.livepatch4j.control.ControlSockets.PARKED_FOR_CHECKPOINT;
    static final int HANDLERS = 4;
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final System.Logger LOG = AgentLog.logger("io.livepatch4j");
    private static final Semaphore SERVING = new Semaphore(HANDLERS);
    private static final Map<SocketChannel, Long> ARRIVING = new ConcurrentHashMap<>();
    /** The socket listening now, null while parked or before it opened; its path. Guarded by the class's monitor. */
    private static ServerSocketChannel listening;
    private static Path socket;
    private static boolean watching;

    private ControlChannel() {}

    /**
     * Opens the socket and serves requests on daemon threads; returns its path. The socket is bound
     * under another name and renamed when it listens: lp4j, which may look the moment the JVM
     * started, finds either no socket (and waits for it) or one that answers, never a bound socket
     * that refuses connections, which it would take for one left by an earlier process.
     */
    static synchronized Path open() throws IOException {
        return listen(AgentDirectory.get());
    }

    /**
     * Closes the socket before a checkpoint ({@link Checkpoints}): a listening socket restored by CRIU
     * is bound again under the name it was bound to, not the name lp4j looks for. Connections accepted
     * already stay open and get their answers; a client connecting now finds no socket.
     */
    static synchronized void park() {
        closeListening();
        if (socket != null) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "livepatch4j: removing the parked control socket: {0}", e.toString());
            }
        }
        System.setProperty(PROPERTY, PARKED);
    }

    /**
     * Opens the socket again after {@link #park}, or after a restore nobody told the agent of (the
     * listening socket CRIU restored is closed first), in a new private directory (AgentDirectory.renew).
     */
    static synchronized Path reopen() throws IOException {
        closeListening();
        return listen(AgentDirectory.renew());
    }

    /** Closes the listening socket, if any; its serving thread then ends quietly (parked). Under the monitor. */
    private static void closeListening() {
        ServerSocketChannel s = listening;
        listening = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "livepatch4j: closing the control socket: {0}", e.toString());
            }
        }
    }

    private static Path listen(Path dir) throws IOException {
        Path path = dir.resolve(ControlSockets.SOCKET);
        Path binding = dir.resolve(ControlSockets.SOCKET + ".binding");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(binding));
            Files.setPosixFilePermissions(binding, PosixFilePermissions.fromString("rw-------"));
            Files.move(binding, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        listening = server;
        socket = path;
        daemon("livepatch4j-control", () -> serve(server)).start();
        if (!watching) {
            watching = true;
            daemon("livepatch4j-control-watchdog", ControlChannel::closeLate).start();
        }
        // For people reading the JVM's properties; lp4j never takes the path from here (ControlSockets).
        System.setProperty(PROPERTY, path.toString());
        return path;
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void serve(ServerSocketChannel server) {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (java.nio.channels.ClosedChannelException e) {
                if (!parked(server)) {
                    LOG.log(System.Logger.Level.WARNING, "livepatch4j: control channel stopped: {0}", e.toString());
                }
                return;
            } catch (IOException | RuntimeException | Error e) {
                // Out of file descriptors, memory or threads for a moment ("Too many open files"):
                // the next connection may well be served.
                LOG.log(System.Logger.Level.WARNING, "livepatch4j: control channel could not accept a connection: {0}",
                    e.toString());
                pause();
                continue;
            }
            if (!SERVING.tryAcquire()) {
                answerAndClose(client, error("busy", "the agent is already serving " + HANDLERS
                    + " requests; try again when they are done"));
                continue;
            }
            try {
                daemon("livepatch4j-control-request", () -> {
                    try {
                        ApplyWorkers.shareOnThisThread(); // it holds no application lock (ApplyWorkers)
                        handle(client);
                    } finally {
                        SERVING.release();
                    }
                }).start();
            } catch (RuntimeException | OutOfMemoryError e) {
                SERVING.release();
                answerAndClose(client, error("busy", "the agent cannot start a thread for the request (" + e
                    + "); try again"));
            }
        }
    }

    private static synchronized boolean parked(ServerSocketChannel server) {
        return listening != server;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The watchdog: closes each connection whose request has not arrived whole by its deadline; and
     * once a second asks whether the process was restored from a checkpoint nobody told the agent
     * of (Checkpoints.noticeUnpreparedRestore), after which the socket would be dead.
     */
    private static void closeLate() {
        for (int tick = 1; ; tick++) {
            try {
                Thread.sleep(250);
                if (tick % 4 == 0) {
                    Checkpoints.noticeUnpreparedRestore();
                }
                long now = System.nanoTime();
                for (Map.Entry<SocketChannel, Long> e : ARRIVING.entrySet()) {
                    if (now - e.getValue() > 0 && ARRIVING.remove(e.getKey(), e.getValue())) {
                        closeQuietly(e.getKey());
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.DEBUG, "livepatch4j: control watchdog: {0}", e.toString());
            }
        }
    }

    private static void handle(SocketChannel client) {
        String answer;
        ControlRequest request;
        // The request must arrive whole in time: a client that sends nothing holds no thread for long.
        ARRIVING.put(client, System.nanoTime() + READ_TIMEOUT.toNanos());
        try {
            request = ControlRequest.read(new DataInputStream(Channels.newInputStream(client)));
        } catch (ControlRequest.BadRequest e) {
            ARRIVING.remove(client);
            answerAndClose(client, error("bad-request", e.getMessage()));
            return;
        } catch (IOException | RuntimeException | Error e) {
            ARRIVING.remove(client);
            // A client that went away, or sent a frame over the limit, or a request cut short.
            answerAndClose(client, error("bad-request", "the request could not be read: " + e.getMessage()));
            return;
        }
        if (ARRIVING.remove(client) == null) {
            closeQuietly(client); // the watchdog closed it as the last byte arrived
            return;
        }
        try {
            answer = answer(request);
        } catch (Checkpoints.Refused e) {
            answer = error("refused", e.getMessage());
        } catch (Unchanged e) {
            answer = ok(e.json());
        } catch (PatchException e) {
            answer = error("refused", e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            answer = error("bad-request", e.getMessage());
        } catch (RuntimeException | InterruptedException | IOException | Error e) {
            // An error of the agent's own (an assertion, a class that cannot link, no memory) still
            // gets an answer: lp4j says what failed instead of "closed the connection".
            LOG.log(System.Logger.Level.WARNING, "livepatch4j: a control request failed", e);
            answer = error("failed", e.toString());
        }
        answerAndClose(client, answer);
    }

    private static String answer(ControlRequest request)
        throws PatchException, InterruptedException, Checkpoints.Refused, IOException {
        return switch (request.command()) {
            case "status" -> ok(StatusJson.of(LivePatch.status()));
            case "apply" -> applied(request);
            case "rollback" -> ok(StatusJson.of(request.to() >= 0
                ? LivePatch.rollback(request.to(), request.strategy())
                : LivePatch.rollback(request.strategy())));
            case "reverse" -> ok(StatusJson.of(LivePatch.reverse()));
            case "await" -> ok(String.valueOf(LivePatch.awaitTransition(Duration.ofMillis(request.millis()))));
            case "checkpoint-prepare" -> ok(StatusJson.of(Checkpoints.prepare(request.shrink(), request.millis())));
            default -> throw new IllegalStateException("ControlRequest let through command " + request.command());
        };
    }

    /** Writes the answer as one frame and closes; a client that is gone is not an error. */
    private static void answerAndClose(SocketChannel client, String answer) {
        try (client) {
            DataOutputStream o = new DataOutputStream(Channels.newOutputStream(client));
            Frames.write(o, answer.getBytes(StandardCharsets.UTF_8));
            o.flush();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "livepatch4j: control connection ended: {0}", e.toString());
        }
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** An apply's answer, with the agent's own time for it (reading, checks, changes): lp4j reports it. */
    private static String applied(ControlRequest request) throws PatchException {
        long start = System.nanoTime();
        ApplyResult result = LivePatch.apply(request.payload(), request.source(), request.strategy());
        return ok(StatusJson.of(result.withAgentMillis(Math.round((System.nanoTime() - start) / 1e4) / 100.0)));
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
}
