package io.livepatch4j.bench.latency;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PatchScheduleTest {

    private static final long S = 1_000_000_000L;

    @Test
    void gapsStayWithinTheJitterAndEveryOperationFallsInsideThePeriod() {
        List<Long> t = PatchSchedule.offsets(40 * S, S / 2, 1_200_000_000L, 1_800_000_000L, 42);
        assertEquals(S / 2, t.get(0));
        for (int i = 1; i < t.size(); i++) {
            long gap = t.get(i) - t.get(i - 1);
            assertTrue(gap >= 1_200_000_000L && gap <= 1_800_000_000L, "gap " + gap);
        }
        assertTrue(t.get(t.size() - 1) < 40 * S);
        // ~1.5 s on average: 40 s hold 22 to 33 operations
        assertTrue(t.size() >= 22 && t.size() <= 33, "count " + t.size());
    }

    @Test
    void theSameSeedGivesTheSameInstantsSoStrategiesAreDisturbedAlike() {
        assertEquals(PatchSchedule.offsets(30 * S, 0, S, 2 * S, 7), PatchSchedule.offsets(30 * S, 0, S, 2 * S, 7));
        assertNotEquals(PatchSchedule.offsets(30 * S, 0, S, 2 * S, 7), PatchSchedule.offsets(30 * S, 0, S, 2 * S, 8));
    }

    @Test
    void gapsAreJitteredNotFixed() {
        List<Long> t = PatchSchedule.offsets(30 * S, 0, S, 2 * S, 1);
        assertTrue(t.stream().map(x -> x % S).distinct().count() > t.size() / 2);
    }

    @Test
    void aFixedGapWithoutJitterIsAllowedAndANonPositiveOneIsNot() {
        assertEquals(List.of(0L, S, 2 * S), PatchSchedule.offsets(3 * S, 0, S, S, 1));
        assertThrows(IllegalArgumentException.class, () -> PatchSchedule.offsets(3 * S, 0, 0, S, 1));
        assertThrows(IllegalArgumentException.class, () -> PatchSchedule.offsets(3 * S, 0, 2 * S, S, 1));
    }
}
