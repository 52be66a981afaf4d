package io.livepatch4j.it.review.app;

/**
 * Review: application code that starts a server's worker thread with a method reference (as a main
 * that embeds a server does: {@code new Thread(server::run)}). The method reference's class is a
 * hidden class of this application package, the outermost frame of the thread.
 */
public final class Launcher {

    private Launcher() {}

    public static Thread thread(Runnable serverLoop, String name) {
        return new Thread(serverLoop::run, name);
    }
}
