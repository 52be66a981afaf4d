package io.livepatch4j.servers.child;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A thread-per-request HTTP/1.1 server written only for the tests, with a worker pool of its own (no
 * java.util.concurrent executor, nothing the agent has an integration for): one thread accepts
 * connections and queues them, worker threads take a connection each and serve its requests until
 * the client closes it, calling the application's {@link Handler} once per request. Its package is
 * not one of the application's, so to the agent it is server code: the general rule for servers the
 * agent does not know (docs/agent.md) is what keeps each request in one generation. {@link #main}
 * serves {@code io.livepatch4j.servers.app.PoolHandler}.
 */
public final class PoolServer implements AutoCloseable {

    /** The application's code for one request: the path in, the response body out. */
    public interface Handler {
        String handle(String path) throws Exception;
    }

    private final ServerSocket socket;
    private final BlockingQueue<Socket> accepted = new ArrayBlockingQueue<>(1024);
    private final List<Thread> threads = new ArrayList<>();
    private final Handler handler;
    private volatile boolean running = true;

    public static void main(String[] args) throws Exception {
        PoolServer server = new PoolServer(16, new io.livepatch4j.servers.app.PoolHandler());
        Ready.announce(server.port());
        Thread.currentThread().join();
    }

    public PoolServer(int workers, Handler handler) throws IOException {
        this.handler = handler;
        this.socket = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "pool-acceptor");
        threads.add(acceptor);
        for (int i = 0; i < workers; i++) {
            threads.add(new Thread(this::work, "pool-worker-" + i));
        }
        threads.forEach(t -> {
            t.setDaemon(true);
            t.start();
        });
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (running) {
            try {
                accepted.put(socket.accept());
            } catch (IOException | InterruptedException e) {
                return;
            }
        }
    }

    private void work() {
        while (running) {
            Socket s;
            try {
                s = accepted.take();
            } catch (InterruptedException e) {
                return;
            }
            try (s) {
                s.setTcpNoDelay(true);
                serve(s);
            } catch (IOException e) {
                // the client went away
            }
        }
    }

    /** Serves the requests of one keep-alive connection until the client closes it. */
    private void serve(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        OutputStream out = s.getOutputStream();
        String requestLine;
        while ((requestLine = in.readLine()) != null) {
            if (requestLine.isEmpty()) {
                continue;
            }
            int length = 0;
            String header;
            while ((header = in.readLine()) != null && !header.isEmpty()) {
                if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            }
            in.skip(length);
            String target = requestLine.split(" ")[1];
            int query = target.indexOf('?');
            String path = query < 0 ? target : target.substring(0, query);
            int status = 200;
            String body;
            try {
                body = handler.handle(path);
            } catch (Exception e) {
                status = 500;
                body = e.toString();
            }
            byte[] head = ("HTTP/1.1 " + status + " X\r\nContent-Length: " + body.length()
                + "\r\nContent-Type: text/plain\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1);
            out.write(head); // one write: no Nagle/delayed-ACK stall between head and body
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        socket.close();
        threads.forEach(Thread::interrupt);
    }
}
