package io.livepatch4j.release.child;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A small server that uses a library the way an application would: /probe runs the probe (a
 * {@code Function<String, String>} compiled against the old release) on the request's input (the body
 * of a POST, or the query parameter in of a GET) and answers
 * 200 with what it returned. Requests run on a thread pool whose threads have 512 KiB stacks, so
 * that input nested without limit overflows the stack at once and deterministically; an error the
 * probe does not catch (StackOverflowError, say) is answered as "ERROR ..." with 200, as a server
 * that survives it would. The JDK's com.sun.net.httpserver: the agent knows its requests as units
 * of work. Listens on 127.0.0.1 only.
 *
 * <p>Arguments: the probe class. Prints "READY port=N pid=P".
 */
public final class ProbeServer {

    private ProbeServer() {}

    public static void main(String[] args) throws Exception {
        @SuppressWarnings("unchecked")
        Function<String, String> probe = (Function<String, String>) Class.forName(args[0]).getConstructor().newInstance();
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            r -> new Thread(null, r, "probe-" + n.incrementAndGet(), 1024L * (args.length > 1 ? Integer.parseInt(args[1]) : 512)));
        // Nagle stays on unless this is set; on JDK 17 the load then got ~40 answers/s in all (measured
        // here: 237 requests in 6 s against 1664 with it), too little to call load.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/probe", exchange -> answer(exchange, probe));
        server.setExecutor(pool);
        server.start();
        System.out.println("READY port=" + server.getAddress().getPort() + " pid=" + ProcessHandle.current().pid());
        System.out.flush();
    }

    private static void answer(HttpExchange exchange, Function<String, String> probe) throws IOException {
        // GET /probe?in=...: the load's short benign input; POST: the body (inputs too long for a URL).
        String query = exchange.getRequestURI().getRawQuery();
        String in = query != null && query.startsWith("in=")
            ? java.net.URLDecoder.decode(query.substring(3), StandardCharsets.UTF_8)
            : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String out;
        try {
            out = probe.apply(in);
        } catch (Throwable e) {
            out = "ERROR " + e;
        }
        byte[] body = (out.length() > 2000 ? out.substring(0, 2000) : out).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(body);
        }
    }
}
