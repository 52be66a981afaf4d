package io.livepatch4j.bench.latency;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QuietMachineTest {

    /** A fake machine: each sample of busy CPU takes one second of a fake clock. */
    private static double wait(long maxSeconds, Double... busy) {
        ArrayDeque<Double> samples = new ArrayDeque<>(List.of(busy));
        long[] now = {0};
        return QuietMachine.awaitIdle(maxSeconds * 1_000_000_000L, () -> {
            now[0] += 1_000_000_000L;
            return samples.isEmpty() ? 0 : samples.poll();
        }, () -> now[0]);
    }

    @Test
    void waitsUntilTheMachineIsIdleButNoLongerThanTheBudget() {
        assertEquals(1, wait(60, 3.0));
        assertEquals(3, wait(60, 120.0, 95.0, 4.0));
        assertEquals(5, wait(5, 120.0, 120.0, 120.0, 120.0, 120.0, 120.0, 120.0));
        assertEquals(0, wait(0, 120.0));
    }
}
