package io.livepatch4j.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** A GET to a test's server on the loopback address, as a client outside every unit of work sends it. */
public final class HttpGets {

    private HttpGets() {}

    /** The body of {@code path} on {@code port}. */
    public static String get(int port, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(15_000);
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** {@link #get} on a client thread of its own (a plain thread: it holds no unit). */
    public static CompletableFuture<String> inBackground(int port, String path) {
        CompletableFuture<String> response = new CompletableFuture<>();
        Thread client = new Thread(() -> {
            try {
                response.complete(get(port, path));
            } catch (Throwable e) {
                response.completeExceptionally(e);
            }
        }, "client");
        client.start();
        return response;
    }
}
