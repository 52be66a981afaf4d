package io.livepatch4j.bench.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LaunchBenchmarkTest {

    @Test
    void childJvmGetsTheHeapPreTouchedAndTheMechanism() {
        LaunchBenchmark.Options o = LaunchBenchmark.Options.parse(new String[] {"--runs", "7"});
        List<String> cmd = LaunchBenchmark.childCommand(o, "1g", LaunchBenchmark.Mechanism.VFORK, "/cp");
        assertTrue(cmd.containsAll(List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch",
                "-Djdk.lang.Process.launchMechanism=VFORK")), cmd.toString());
        assertEquals("7", cmd.get(cmd.indexOf("--runs") + 1));
        assertEquals(LaunchProbe.class.getName(), cmd.get(cmd.indexOf("/cp") + 1));
    }

    @Test
    void defaultsAreTheIssuesHeapsAndTheThreeLinuxMechanisms() {
        LaunchBenchmark.Options o = LaunchBenchmark.Options.parse(new String[0]);
        assertEquals(List.of("1g", "4g"), o.heaps());
        assertEquals(List.of(LaunchBenchmark.Mechanism.values()), o.mechanisms());
    }

    @Test
    void aHeapThatIsNotAnXmxSizeIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LaunchBenchmark.Options.parse(new String[] {"--heaps", "1g,lots"}));
        assertTrue(e.getMessage().contains("'lots'"), e.getMessage());
    }

    @Test
    void probeTimesRealStartsOfTheProgram() throws Exception {
        long[] nanos = LaunchProbe.measure("/bin/true", 1, 5);
        assertEquals(5, nanos.length);
        for (long n : nanos) {
            assertTrue(n > 0, "every start takes time");
        }
    }

    @Test
    void aChildJvmPerCellReportsItsMechanismAndHeap() throws Exception {
        LaunchBenchmark.Options o = LaunchBenchmark.Options.parse(new String[] {"--runs", "5", "--warmup", "1"});
        ProbeResult r = LaunchBenchmark.runChild(o, "64m", LaunchBenchmark.Mechanism.POSIX_SPAWN);
        assertEquals("POSIX_SPAWN", r.mechanism());
        assertTrue(r.heapMib() >= 60 && r.heapMib() <= 64, "heap " + r.heapMib());
        assertTrue(r.rssMib() >= 64, "a pre-touched 64 MiB heap is resident, rss " + r.rssMib());
        assertEquals(5, r.stats().runs());
    }

    @Test
    void aMechanismOutsideLinuxsThreeIsRefusedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LaunchBenchmark.Options.parse(new String[] {"--mechanisms", "FORK,BOGUS"}));
        assertTrue(e.getMessage().contains("BOGUS") && e.getMessage().contains("FORK, VFORK, POSIX_SPAWN"), e.getMessage());
    }
}
