package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.PatchFormat;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JMX MBean and the JFR events: what jconsole, scripts and a flight recording see of a patch. */
@ExtendWith(BackToLoadedCode.class)
class ControlSurfacesIT {

    @Test
    void mbeanShowsTheGenerationsAndAppliesAndRollsBack() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("io.livepatch4j:type=LivePatch");
        assertEquals("prepared", server.getAttribute(name, "Mode"));
        long before = (Long) server.getAttribute(name, "CurrentGeneration");
        Path patch = Files.createTempDirectory("lp4j-jmx").resolve("greeter.lp4j");
        PatchFormat.write(TestPatches.greeterV2(), patch);

        String result = (String) server.invoke(name, "apply", new Object[] {patch.toString(), "local"},
            new String[] {String.class.getName(), String.class.getName()});
        assertTrue(result.contains("\"generation\": " + (before + 1)), result);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals(before + 1, server.getAttribute(name, "CurrentGeneration"));
        assertTrue(((String) server.getAttribute(name, "StatusJson")).contains("\"dispatch\": \"direct\""));

        // The same patch again changes nothing, and says so (not the base-hash mismatch it used to report).
        Exception again = assertThrows(Exception.class, () -> server.invoke(name, "apply",
            new Object[] {patch.toString(), "local"}, new String[] {String.class.getName(), String.class.getName()}));
        assertTrue(String.valueOf(again.getCause()).contains("patch greeter-v2 is already applied"), String.valueOf(again.getCause()));
        assertEquals(before + 1, server.getAttribute(name, "CurrentGeneration"));

        server.invoke(name, "rollback", new Object[] {before, "local"}, new String[] {long.class.getName(), String.class.getName()});
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("hello j from v1", new Greeter("j").greet());
    }

    @Test
    void flightRecordingHasTheAppliedMovedCompleteAndRetiredEvents() throws Exception {
        Greeter g = new Greeter("f");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Path jfr = Files.createTempFile("lp4j", ".jfr");
        try (Recording r = new Recording()) {
            for (String e : List.of("PatchApplied", "ThreadMoved", "TransitionComplete", "GenerationRetired")) {
                r.enable("io.livepatch4j." + e);
            }
            r.start();
            // A unit in flight in G0 when the patch arrives, so at least one thread moves.
            io.livepatch4j.it.support.Held held = new io.livepatch4j.it.support.Held();
            Greeter.betweenCalls = held::hold;
            var inFlight = pool.submit(g::pair);
            held.awaitArrival();
            Greeter.betweenCalls = () -> { };
            LivePatch.apply(TestPatches.greeterV2(), io.livepatch4j.agent.tooling.Strategy.LOCAL);
            held.release();
            inFlight.get();
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
            r.stop();
            r.dump(jfr);
        } finally {
            pool.shutdownNow();
        }
        Set<String> names = RecordingFile.readAllEvents(jfr).stream().map(e -> e.getEventType().getName())
            .collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("io.livepatch4j.PatchApplied", "io.livepatch4j.ThreadMoved",
            "io.livepatch4j.TransitionComplete", "io.livepatch4j.GenerationRetired")), names.toString());
        RecordedEvent done = RecordingFile.readAllEvents(jfr).stream()
            .filter(e -> e.getEventType().getName().equals("io.livepatch4j.TransitionComplete")).findFirst().orElseThrow();
        assertTrue(done.getInt("threadsMoved") >= 1, done.toString());
    }
}
