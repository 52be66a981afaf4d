package io.livepatch4j.bench.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProbeResultTest {

    @Test
    void aResultSurvivesTheTripThroughStdout() {
        ProbeResult r = new ProbeResult("VFORK", 1024, 1090, new LaunchStats(100, 812.5, 1500.25, 700, 2000, 850));
        assertEquals(r, ProbeResult.parse(r.toLine()).orElseThrow());
    }

    @Test
    void theJvmsOwnOutputIsNotMistakenForAResult() {
        assertTrue(ProbeResult.parse("OpenJDK 64-Bit Server VM warning: something").isEmpty());
        assertTrue(ProbeResult.parse("LP4J-LAUNCH mechanism=FORK heap_mib=x").isEmpty());
    }
}
