package io.livepatch4j.agent.tooling;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the control protocol's reader (issue 14, item 11): any bytes a client sends give a request
 * the agent can act on, or a {@link ControlRequest.BadRequest} (answered "bad-request") or the
 * stream's own {@link IOException} (a frame over its limit, a request cut short), each with a
 * one-line message; never another exception, never more memory than the bytes sent plus the limits.
 *
 * <p>By default each method replays its inputs in
 * {@code src/test/resources/io/livepatch4j/agent/tooling/ControlRequestFuzzTestInputs/<method>/};
 * {@code scripts/fuzz} fuzzes it for a bounded time.
 */
class ControlRequestFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyBytes(byte[] bytes) {
        ControlRequest r;
        try {
            r = ControlRequest.read(new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (ControlRequest.BadRequest | IOException e) {
            assertNotNull(e.getMessage(), "a refusal says why");
            assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
            return;
        }
        assertNotNull(r.strategy());
        switch (r.command()) {
            case "apply" -> {
                assertNotNull(r.payload());
                assertTrue(r.payload().length <= ControlRequest.MAX_PATCH);
            }
            case "await" -> assertTrue(r.millis() >= 0);
            case "status", "reverse", "rollback" -> assertEquals(null, r.payload());
            case "checkpoint-prepare" -> {
                assertEquals(null, r.payload());
                assertTrue(r.millis() >= 1 && r.millis() <= ControlRequest.MAX_RESUME_AFTER_MILLIS,
                    "the agent goes on by itself within a day: " + r.millis());
            }
            default -> throw new AssertionError("a command the agent does not know was let through: " + r.command());
        }
    }
}
