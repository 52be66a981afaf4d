package io.livepatch4j.bench.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LaunchStatsTest {

    @Test
    void percentilesAreNearestRankLikeTheCBenchmark() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            nanos[i] = (100 - i) * 1000L; // 1..100 us, unsorted
        }
        LaunchStats s = LaunchStats.ofNanos(nanos);
        assertEquals(50.0, s.medianUs());
        assertEquals(99.0, s.p99Us());
        assertEquals(1.0, s.minUs());
        assertEquals(100.0, s.maxUs());
        assertEquals(50.5, s.meanUs(), 1e-9);
        assertEquals(100, s.runs());
        assertEquals(100_000L, nanos[0], "the caller's samples are left as they were");
    }

    @Test
    void oneSampleIsEveryPercentile() {
        LaunchStats s = LaunchStats.ofNanos(new long[] {42_000});
        assertEquals(42.0, s.medianUs());
        assertEquals(42.0, s.p99Us());
    }

    @Test
    void noSamplesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LaunchStats.ofNanos(new long[0]));
    }
}
