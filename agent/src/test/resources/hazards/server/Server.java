package io.livepatch4j.it.hazard.app;

/**
 * A server's main class: {@link #serve} (unchanged by the patch) waits like a main that started a
 * server; {@link #version} and {@link #handle} change. The v2 is src/test/resources/hazards/server/Server.java.
 */
public class Server {

    /** Unchanged in v2: the frame a main thread sleeps in. */
    public static void serve(Runnable waitForShutdown) {
        waitForShutdown.run();
    }

    public static String version() {
        return "v2";
    }

    /** Changed in v2: a thread waiting inside this frame must keep running its code, version() included. */
    public static String handle(Runnable inside) {
        inside.run();
        return "v2/" + version();
    }
}
