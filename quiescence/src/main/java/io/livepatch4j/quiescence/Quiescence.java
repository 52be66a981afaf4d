package io.livepatch4j.quiescence;

import java.util.concurrent.Callable;

/**
 * Marks units of work and quiescence points in application code.
 *
 * <p>Without the livepatch4j agent every method here is a plain pass-through. When the agent is
 * loaded (at start or attached later) it instruments this class, so the same calls begin and end
 * units of work: a thread changes to a newer code generation only at the boundary of its
 * outermost unit of work.
 *
 * <p>Most servers need none of this: executor tasks, virtual threads, {@code com.sun.net.httpserver}
 * exchanges and Jetty 12 requests are units of work already. Use it for a thread the agent does
 * not know, for example a loop that polls a queue forever.
 */
public final class Quiescence {

    private Quiescence() {}

    /**
     * Declares a quiescence point: the calling thread's outermost unit of work ends here and a new
     * one begins, so the thread may move to the newest generation. Call it where the thread holds
     * no state that was computed by code it would not want to mix with newer code, typically at
     * the top of a long-running loop.
     */
    public static void point() {
        // Instrumented by the agent.
    }

    /** Runs {@code unit} as one unit of work: all patchable code in it runs in one generation. */
    public static void run(Runnable unit) {
        unit.run();
    }

    /** Calls {@code unit} as one unit of work: all patchable code in it runs in one generation. */
    public static <T> T call(Callable<T> unit) throws Exception {
        return unit.call();
    }

    /**
     * The code generation the calling thread runs: 0 is the code as the JVM loaded it, each applied
     * patch or rollback makes the next one. Useful in logs and response headers. Always 0 without
     * the agent.
     */
    public static long generation() {
        return 0L;
    }

    /** Whether the livepatch4j agent is loaded in this JVM. */
    public static boolean agentLoaded() {
        return false;
    }
}
