package io.livepatch4j.servers.review2;

import io.livepatch4j.servers.harness.Cli;
import io.livepatch4j.servers.harness.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Review 15b: a request with two async cycles ({@link RestartServlet}: startAsync, dispatch,
 * startAsync again in the async dispatch, complete from the app's thread). The answer must be
 * "v1+v1", and once the request is over the transition must complete: nothing may hold its G0 unit.
 *
 * <p>ServletHooks.startedAsync keeps the first AsyncContext in its request attribute and ignores the
 * second startAsync ("Wrappers delegate ... whose hook ran first"). Tomcat and Jetty hand out the same
 * AsyncContext object for every cycle; Undertow makes a new AsyncContextImpl per startAsync, so the
 * cycle's end (AsyncCycle.ends on the second context) finds no unit, and the hold of the first one
 * stays until the collector happens to clear the AsyncContext.
 */
@Timeout(180)
class AsyncRestartIT {

    private static void restartThenTransitionCompletes(String name, String main) throws Exception {
        try (Stepped server = new Stepped(name, main, Mode.PREPARED)) {
            assertEquals("v1+v1", server.step("restart"));
            String status = "";
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline) {
                status = Cli.run("status", "--pid", Long.toString(server.child.pid));
                if (!status.contains("running")) {
                    break;
                }
                Thread.sleep(250);
            }
            System.out.println("[review15b] " + name + " status 15 s after the request ended:\n" + status);
            assertFalse(status.contains("running"), "the G0 -> G1 transition still waits, 15 s after the only request ended:\n" + status);
        }
    }

    @Test
    void undertow() throws Exception {
        restartThenTransitionCompletes("undertow-servlet", RestartUndertow.class.getName());
    }

    @Test
    void tomcat11() throws Exception {
        restartThenTransitionCompletes("tomcat11", RestartTomcat.class.getName());
    }
}
