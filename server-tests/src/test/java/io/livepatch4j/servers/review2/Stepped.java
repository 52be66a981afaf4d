package io.livepatch4j.servers.review2;

import io.livepatch4j.servers.harness.Cli;
import io.livepatch4j.servers.harness.Mode;
import io.livepatch4j.servers.harness.Server;
import io.livepatch4j.servers.harness.ServerChild;
import io.livepatch4j.servers.harness.Settings;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Review 2: a server child serving {@link ReviewServlet}, and one stepped request: it runs its first
 * half in G0, 'lp4j apply' (no --wait) lands while it waits at its gate, then the gate opens and the
 * request finishes; its answer must be "v1+v1". Afterwards 'lp4j rollback --wait' brings the server
 * back to the code as loaded (reversing the transition if it still runs).
 */
final class Stepped implements AutoCloseable {

    private static final AtomicInteger SEQ = new AtomicInteger();

    final ServerChild child;
    /** Headers of the stepped requests ("Accept-Encoding: gzip" for a server behind a GzipHandler). */
    String[] headers = new String[0];
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();

    Stepped(String name, String main, Mode mode) throws Exception {
        this(name, Server.onTestClassPath(name, main, "any"), mode);
    }

    Stepped(String name, Server s, Mode mode) throws Exception {
        Cli.patch();
        child = ServerChild.start("review2-" + name + "-" + mode.name().toLowerCase(), s.mainClass(), s.classPath(), mode);
    }

    String get(String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + child.port + path))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body() : "HTTP " + r.statusCode() + ": " + r.body();
    }

    /** One stepped request of case {@code c}; returns "body | result". */
    String step(String c) throws Exception {
        String id = c + "-" + SEQ.incrementAndGet();
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + child.port + "/case?c=" + c + "&id=" + id))
            .timeout(Duration.ofSeconds(40));
        if (headers.length > 0) {
            rb.headers(headers);
        }
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(rb.build(), HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!get("/reached?id=" + id).equals("true")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("request " + id + " never reached its gate");
            }
            Thread.sleep(5);
        }
        Cli.run("apply", "--pid", Long.toString(child.pid), Cli.patch().toString(),
            "--agent-jar", Settings.agentJar().toString());
        Thread.sleep(100);
        get("/release?id=" + id);
        String body = response.get(30, TimeUnit.SECONDS).body();
        String result = get("/result?id=" + id);
        System.out.println("[review2] " + child.port + " case " + c + ": body=" + body + " result=" + result);
        return result;
    }

    /**
     * Case "readlistener": a raw HTTP/1.1 POST whose body comes in two parts, the second after 'lp4j
     * apply'. Returns the response body.
     */
    String stepPost() throws Exception {
        String id = "readlistener-" + SEQ.incrementAndGet();
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", child.port)) {
            s.setSoTimeout(30_000);
            java.io.OutputStream out = s.getOutputStream();
            out.write(("POST /case?c=readlistener&id=" + id + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n"
                + "Content-Type: application/octet-stream\r\nConnection: close\r\n" + raw() + "\r\n12345").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!get("/reached?id=" + id).equals("true")) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("request " + id + " never reached its gate");
                }
                Thread.sleep(5);
            }
            Thread.sleep(50);
            Cli.run("apply", "--pid", Long.toString(child.pid), Cli.patch().toString(),
                "--agent-jar", Settings.agentJar().toString());
            Thread.sleep(100);
            out.write("67890".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            String result = get("/result?id=" + id);
            System.out.println("[review2] " + child.port + " case readlistener: result=" + result + " response=" + response.replace("\r\n", " | "));
            return result;
        }
    }

    /**
     * Case "writelistener": a raw GET whose response the client starts to read only after 'lp4j apply'.
     * Returns the /result of the request.
     */
    String stepSlowReader() throws Exception {
        String id = "writelistener-" + SEQ.incrementAndGet();
        try (java.net.Socket s = new java.net.Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(new java.net.InetSocketAddress("127.0.0.1", child.port));
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET /case?c=writelistener&id=" + id + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n" + raw() + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!get("/reached?id=" + id).equals("true")) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("request " + id + " never blocked on output");
                }
                Thread.sleep(5);
            }
            Cli.run("apply", "--pid", Long.toString(child.pid), Cli.patch().toString(),
                "--agent-jar", Settings.agentJar().toString());
            Thread.sleep(100);
            byte[] buf = new byte[1 << 16];
            long n = 0;
            java.io.InputStream in = s.getInputStream();
            for (int r; (r = in.read(buf)) >= 0; ) {
                n += r;
            }
            String result = get("/result?id=" + id);
            System.out.println("[review2] " + child.port + " case writelistener: read " + n + " bytes, result=" + result);
            return result;
        }
    }

    private String raw() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        return b.toString();
    }

    /**
     * Attach mode: loads the agent with a first apply and rollback (both --wait), so that the stepped
     * requests begin with the agent loaded; a request begun before the agent was loaded is in no unit.
     */
    Stepped warmUp() {
        Cli.run("apply", "--pid", Long.toString(child.pid), patchPath(), "--wait", "--timeout", "60",
            "--agent-jar", Settings.agentJar().toString());
        reset();
        return this;
    }

    private static String patchPath() {
        try {
            return Cli.patch().toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Back to the code as loaded; fails if the transition back does not complete in time (with 'lp4j status'). */
    void reset() {
        try {
            Cli.run("rollback", "--pid", Long.toString(child.pid), "--to", "0", "--wait", "--timeout", "20");
        } catch (AssertionError e) {
            String status;
            try {
                status = Cli.run("status", "--pid", Long.toString(child.pid));
            } catch (AssertionError e2) {
                status = e2.getMessage();
            }
            throw new AssertionError(e.getMessage() + "\nlp4j status:\n" + status, e);
        }
    }

    @Override
    public void close() throws Exception {
        child.close();
    }
}
