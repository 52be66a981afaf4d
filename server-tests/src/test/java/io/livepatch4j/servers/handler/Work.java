package io.livepatch4j.servers.handler;

import io.livepatch4j.control.LivePatchJmx;
import io.livepatch4j.servers.app.Pair;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * What every server's handler does, unchanged by the patch: calls {@link Pair#first} and
 * {@link Pair#second} with real work between them, or reports the unit of work the calling thread
 * is in. Servers call it from their own handler classes (one per server API).
 */
public final class Work {

    /** The endpoint that answers "a+b". */
    public static final String PAIR = "/pair";
    /** The endpoint that answers the unit kind of the thread that builds the answer. */
    public static final String KIND = "/kind";

    /**
     * Where async handlers complete their responses: a plain JDK pool, as an application would use
     * (a task submitted inside a unit carries it there).
     */
    public static final ExecutorService ASYNC = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "app-async");
        t.setDaemon(true);
        return t;
    });

    private Work() {}

    /** The answer for {@code path}: "a+b" for /pair, the unit kind for /kind. */
    public static String answer(String path) {
        return finish(path, begin(path));
    }

    /**
     * The first half of the answer, on the thread that received the request: Pair.first for /pair.
     * An async handler calls {@link #finish} on another thread to complete the response.
     */
    public static String begin(String path) {
        return isKind(path) ? "" : Pair.first();
    }

    /** The rest: ~50 µs of work, then Pair.second, "a+b"; for /kind the calling thread's unit kind. */
    public static String finish(String path, String first) {
        if (isKind(path)) {
            return unitKind();
        }
        LockSupport.parkNanos(50_000);
        return first + "+" + Pair.second();
    }

    private static boolean isKind(String path) {
        return path != null && path.endsWith(KIND);
    }

    /**
     * The unit kind status reports for the calling thread ("none" outside any unit, "no agent"
     * before one is loaded), read through the agent's MXBean, as an application reaches it.
     */
    public static String unitKind() {
        return LivePatchJmx.unitKind();
    }

    /**
     * The variant a request asks for: "sync" (the answer is written before the handler returns),
     * "async" (?variant=async: another thread, of {@link #ASYNC}, finishes the answer and completes
     * the response), "dispatch" (?variant=dispatch: another thread dispatches the request back into
     * the server, whose handler finishes the answer on a server thread), "timeout" (?variant=timeout,
     * servlets only: nothing completes the request, the container times it out and the servlet's
     * AsyncListener finishes it).
     */
    public static String variant(String query) {
        for (String v : new String[] {"dispatch", "async", "timeout"}) {
            if (query != null && query.contains("variant=" + v)) {
                return v;
            }
        }
        return "sync";
    }

    /** Where the first half of the answer waits for a dispatch (a request attribute, an exchange attachment). */
    public static final String FIRST = "io.livepatch4j.servers.first";
}
