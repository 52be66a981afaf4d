package io.livepatch4j.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --wait's progress on a pipe: a plain line only when the state, the counts or the stragglers
 * change (docs/cli.md), never one per poll.
 */
class TransitionWatchTest {

    private static JsonObject status(double elapsed, int moved, String straggler, String top) {
        return JsonParser.parseString("""
            {"fromGeneration": 0, "toGeneration": 1, "strategy": "local", "state": "running", "elapsedMillis": %s,
             "threadsToMove": 2, "threadsMoved": %d, "threadsRemaining": %d,
             "remaining": [{"name": "%s", "unitKind": "executor task", "generation": 0, "straggler": true,
                            "inUnitMillis": 900, "stack": ["%s", "app.Main.lambda$main$0(Main.java:8)"]}]}
            """.formatted(elapsed, moved, 2 - moved, straggler, top)).getAsJsonObject();
    }

    /**
     * Review of issue 15: a straggler that runs (a request in a CPU-bound loop) is at another frame
     * at each poll, and the frame was part of what had to change for a new line: piped, --wait
     * printed two lines per poll for as long as it waited (25 lines in 4 s; thousands in the
     * default 300 s).
     */
    @Test
    void aRunningStragglersMovingStackIsNotAChange() {
        StringWriter out = new StringWriter();
        TransitionWatch.Progress progress = new TransitionWatch.Progress(Terminal.plain(new PrintWriter(out, true)));
        progress.show(status(100, 1, "pool-1-thread-1", "java.lang.StringBuilder.append(StringBuilder.java:1)"));
        progress.show(status(200, 1, "pool-1-thread-1", "java.lang.Math.sin(Math.java:2)"));
        progress.show(status(300, 1, "pool-1-thread-1", "jdk.internal.math.FloatingDecimal.dtoa(FloatingDecimal.java:3)"));
        assertEquals(2, out.toString().lines().count(), "one status line and its straggler:\n" + out);
        assertTrue(out.toString().contains("at java.lang.StringBuilder.append"), out.toString());

        progress.show(status(400, 1, "pool-1-thread-2", "java.lang.Math.sin(Math.java:2)"));
        progress.show(status(500, 2, "pool-1-thread-2", "java.lang.Math.sin(Math.java:2)"));
        assertEquals(6, out.toString().lines().count(), "another straggler, then other counts, are changes:\n" + out);
    }
}
