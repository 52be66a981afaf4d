package io.livepatch4j.demo;

import io.livepatch4j.demo.client.ReadyLine;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The demo server's entry point: fills the store, starts Jetty, prints the READY line scripts wait
 * for, and on SIGTERM stops taking connections, lets running requests finish and prints STOPPED.
 */
public final class DemoServer {

    /** The connector's own threads, leased from the pool on top of the request threads. */
    private static final int ACCEPTORS = 1;
    private static final int SELECTORS = 1;

    /** How long a stop waits for running requests (a long /report) before closing connections. */
    private static final long STOP_TIMEOUT_MS = 10_000;

    private final Server jetty;
    private final ServerConnector connector;
    private final KeyValueStore store;

    private DemoServer(Server jetty, ServerConnector connector, KeyValueStore store) {
        this.jetty = jetty;
        this.connector = connector;
        this.store = store;
    }

    public static void main(String[] args) {
        ServerOptions options;
        try {
            options = ServerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("demo-server: " + e.getMessage());
            System.err.print(ServerOptions.usage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(options.usageText());
            return;
        }
        DemoServer server;
        try {
            server = start(options);
        } catch (Exception e) {
            System.err.println("demo-server: could not start on " + options.host() + ":" + options.port() + ": "
                    + e.getMessage() + (isBindFailure(e) ? " (is the port taken? --port 0 picks a free one)" : ""));
            System.exit(1);
            return;
        }
        // Registered before READY, so a script that saw READY can always stop the server cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(server::stopOnShutdown, "demo-server-shutdown"));
        System.out.println(new ReadyLine(server.port(), ProcessHandle.current().pid(), server.store.size(),
                CodeVersion.name()));
        System.out.flush();
        server.join();
    }

    static DemoServer start(ServerOptions options) throws Exception {
        KeyValueStore store = KeyValueStore.filled(options.keys(), options.valueSize());

        int poolSize = options.threads() + ACCEPTORS + SELECTORS;
        QueuedThreadPool pool = new QueuedThreadPool(poolSize, Math.min(poolSize, 8));
        pool.setName("demo-http");
        // Reserved threads would be leased from the same pool; without them --threads is exactly
        // the number of threads that can run requests at once.
        pool.setReservedThreads(0);
        Server jetty = new Server(pool);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(jetty, ACCEPTORS, SELECTORS, new HttpConnectionFactory(http));
        connector.setHost(options.host());
        connector.setPort(options.port());
        jetty.addConnector(connector);

        // On stop, Jetty waits up to the stop timeout for running requests to finish (ShutdownTest
        // fails with a timeout of 0); GracefulHandler is Jetty's own tracker of those requests.
        jetty.setHandler(new GracefulHandler(
                new DemoHandler(store, options.maxValueBytes(), new AccessPolicy(options.apiKey()))));
        // Jetty answers some malformed requests itself (an ambiguous or badly encoded URI) before
        // the demo's code runs; make those reasons plain text like ours instead of HTML pages.
        ErrorHandler errors = new ErrorHandler();
        errors.setDefaultResponseMimeType("text/plain");
        errors.setShowStacks(false);
        jetty.setErrorHandler(errors);
        jetty.setStopTimeout(STOP_TIMEOUT_MS);
        try {
            jetty.start();
        } catch (Exception e) {
            jetty.stop();
            throw e;
        }
        return new DemoServer(jetty, connector, store);
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    int port() {
        return connector.getLocalPort();
    }

    private void join() {
        try {
            jetty.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopOnShutdown() {
        int port = port();
        try {
            jetty.stop();
            System.out.println("STOPPED port=" + port);
        } catch (Exception e) {
            System.out.println("STOPPED port=" + port + " uncleanly: " + e);
        }
        System.out.flush();
    }
}
