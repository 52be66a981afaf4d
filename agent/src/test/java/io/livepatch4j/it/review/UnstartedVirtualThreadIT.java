package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Rv;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JDK 21+. The VirtualThread constructor captures the creating unit (UnitAdvice.Created), not start().
 * A virtual thread built (unstarted) inside a G0 unit and kept holds the G0 unit open, and when a G1
 * unit starts it later, it runs G0 code for the G1 unit's work.
 */
class UnstartedVirtualThreadIT {

    @Test
    @Timeout(60)
    void aVirtualThreadRunsTheGenerationOfTheUnitThatStartsIt() throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() >= 21, "virtual threads");
        Patch v2 = ReviewPatches.rvV2();
        AtomicReference<String> ran = new AtomicReference<>();
        // Thread.ofVirtual() through reflection: the tests compile with --release 17
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Runnable body = () -> ran.set(Rv.v());
        Thread vt = Quiescence.call(() -> (Thread) Class.forName("java.lang.Thread$Builder")
            .getMethod("unstarted", Runnable.class).invoke(builder, body));
        LivePatch.apply(v2, Strategy.LOCAL);
        boolean done = LivePatch.awaitTransition(Duration.ofSeconds(3));
        String inUnit = Quiescence.call(() -> {
            String before = Rv.v();
            vt.start();
            vt.join();
            return before + "/" + ran.get();
        });
        System.out.println("[review] unstarted virtual thread: transition complete while it was kept=" + done
            + "; G1 unit started it and saw " + inUnit);
        assertEquals("v2/v2", inUnit, "a virtual thread started by a G1 unit ran G0 code");
        assertTrue(done, "an unstarted virtual thread held the G0 unit open");
    }
}
