package io.livepatch4j.bench.latency;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransitionsTest {

    private static Disruption op(Disruption.Outcome o, long startMs, long endMs, double agentMs) {
        long ms = 1_000_000;
        return new Disruption(Disruption.APPLY, o, startMs * ms, startMs * ms, endMs * ms, 1, agentMs, "");
    }

    @Test
    void countsEachOutcomeAndTimesOnlyTheCompletedOnes() {
        Transitions t = Transitions.of(List.of(op(Disruption.Outcome.DONE, 0, 50, 4), op(Disruption.Outcome.DONE, 0, 50, 8),
            op(Disruption.Outcome.TIMED_OUT, 0, 2000, Double.NaN), op(Disruption.Outcome.DONE, 0, 50, 30),
            op(Disruption.Outcome.INCOMPLETE, 0, 10, Double.NaN), op(Disruption.Outcome.FAILED, 0, 1, Double.NaN)));
        assertEquals(6, t.attempted());
        assertEquals(3, t.done());
        assertEquals(1, t.timedOut());
        assertEquals(1, t.incomplete());
        assertEquals(1, t.failed());
        assertEquals(8, t.medianMillis());
        assertEquals(30, t.maxMillis());
    }

    @Test
    void withoutTheAgentsMeasureTheWallTimeOfTheOperationCounts() {
        // redefine reports a transition of 0 ms (published at once); restart and criu have none
        Transitions t = Transitions.of(List.of(op(Disruption.Outcome.DONE, 100, 170, 0),
            op(Disruption.Outcome.DONE, 0, 90, Double.NaN)));
        assertEquals(80, t.medianMillis(), 1e-9);
        assertEquals(90, t.maxMillis(), 1e-9);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwoAndOfNoneIsNaN() {
        assertEquals(2.5, Transitions.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertTrue(Double.isNaN(Transitions.median(List.of())));
        assertTrue(Double.isNaN(Transitions.of(List.of()).maxMillis()));
    }
}
