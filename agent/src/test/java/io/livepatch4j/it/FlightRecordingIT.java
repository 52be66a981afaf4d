package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.agent.tooling.Unchanged;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.StragglingWorker;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a flight recording shows of a patch, read back as JMC reads it: an apply and a transition as
 * spans with a duration, a straggler by name, a refused patch with its reason, each in the
 * livepatch4j category tree, and no agent stack unless the recording asks for one.
 */
@ExtendWith(BackToLoadedCode.class)
class FlightRecordingIT {

    private static final List<String> EVENTS = List.of("Apply", "PatchRefused", "Transition", "ThreadMoved",
        "Straggler", "GenerationRetired");

    @Test
    void recordingShowsApplyAndTransitionSpansTheStragglerAndTheRefusalWithoutStacks() throws Exception {
        long before = LivePatch.currentGeneration();
        Path jfr = Files.createTempFile("lp4j", ".jfr");
        try (Recording r = new Recording(); StragglingWorker slow = new StragglingWorker("jfr-slow-worker")) {
            EVENTS.forEach(e -> r.enable("io.livepatch4j." + e));
            r.start();
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            // Past stragglerMillis (200 ms in these tests) the transition's monitor records the straggler.
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                r.dump(jfr);
                return !events(jfr, "Straggler").isEmpty();
            });
            assertEquals("v1+v1", slow.release());
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));

            // The same patch again is no refusal (nothing to do, and no event); one built against other bytes is.
            assertThrows(Unchanged.class, () -> LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL));
            Patch v2 = TestPatches.greeterV2();
            ClassPatch greeter = v2.classes().get(0);
            Patch foreignBase = new Patch("greeter-other-base", v2.compiler(), v2.createdAt(), v2.description(),
                List.of(new ClassPatch(greeter.name(), "0".repeat(64), greeter.targetBytes(), greeter.changes(),
                    greeter.reinitialize())), v2.newClasses(), null, v2.notCarried(), v2.classRenames(), v2.replace(),
                v2.states(), v2.hooks());
            PatchException refused = assertThrows(PatchException.class, () -> LivePatch.apply(foreignBase, Strategy.LOCAL));
            r.stop();
            r.dump(jfr);

            RecordedEvent apply = only(jfr, "Apply");
            assertSpan(apply, "Apply");
            assertEquals("greeter-v2", apply.getString("patchId"));
            assertEquals(before + 1, apply.getLong("generation"));
            assertEquals(before, apply.getLong("fromGeneration"));
            assertEquals("local", apply.getString("strategy"));

            RecordedEvent transition = only(jfr, "Transition");
            assertSpan(transition, "Transition");
            assertEquals("complete", transition.getString("outcome"));
            assertEquals(before + 1, transition.getLong("generation"));
            RecordedEvent held = only(jfr, "Straggler");
            assertTrue(transition.getEndTime().isAfter(held.getStartTime()),
                "the transition's span runs on past the moment its straggler was reported: " + transition + held);
            assertTrue(transition.getInt("threadsMoved") >= 1, transition.toString());

            RecordedEvent straggler = only(jfr, "Straggler");
            assertEquals(List.of("livepatch4j", "Transition"), straggler.getEventType().getCategoryNames());
            RecordedThread t = straggler.getThread("stragglerThread");
            assertNotNull(t, straggler.toString());
            assertEquals("jfr-slow-worker", t.getJavaName());
            assertEquals("jfr-slow-worker", straggler.getString("threadName"));
            assertEquals("executor task", straggler.getString("unitKind"));
            assertEquals(before, straggler.getLong("heldGeneration"));
            assertTrue(straggler.getDuration("heldMillis").toMillis() >= 200, straggler.toString());

            RecordedEvent refusal = only(jfr, "PatchRefused");
            assertEquals(List.of("livepatch4j", "Apply"), refusal.getEventType().getCategoryNames());
            assertEquals(refused.getMessage(), refusal.getString("reason"));
            assertTrue(refusal.getString("reason").contains("built against class bytes"), refusal.getString("reason"));
            assertEquals("patch greeter-other-base", refusal.getString("change"));
            assertEquals(before + 1, refusal.getLong("currentGeneration"));

            assertEquals(List.of("livepatch4j", "Generation"),
                only(jfr, "GenerationRetired").getEventType().getCategoryNames());
            assertTrue(!events(jfr, "ThreadMoved").isEmpty(), "the straggler's move is recorded");
            for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
                assertNull(e.getStackTrace(), "no agent stack by default: " + e);
            }
        } finally {
            Files.deleteIfExists(jfr);
        }
    }

    @Test
    void aRecordingThatAsksForStacksGetsTheCallersStack() throws Exception {
        Path jfr = Files.createTempFile("lp4j", ".jfr");
        try (Recording r = new Recording()) {
            r.enable("io.livepatch4j.Apply").withStackTrace();
            r.start();
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            r.stop();
            r.dump(jfr);
            RecordedEvent apply = only(jfr, "Apply");
            assertNotNull(apply.getStackTrace(), "the stackTrace setting turns the stack on: " + apply);
            assertTrue(apply.getStackTrace().getFrames().stream()
                .anyMatch(f -> f.getMethod().getType().getName().equals(FlightRecordingIT.class.getName())),
                "the stack reaches the code that applied the patch: " + apply.getStackTrace());
        } finally {
            Files.deleteIfExists(jfr);
        }
    }

    private static void assertSpan(RecordedEvent e, String category) {
        assertEquals(List.of("livepatch4j", category), e.getEventType().getCategoryNames());
        assertTrue(e.getDuration().toNanos() > 0, "a span with a duration, not an instant: " + e);
        assertNotNull(e.getEventType().getLabel());
        assertNotNull(e.getEventType().getDescription());
        for (jdk.jfr.ValueDescriptor f : e.getEventType().getFields()) {
            String field = e.getEventType().getName() + "." + f.getName();
            assertNotNull(f.getLabel(), field + " has a label");
            if (!List.of("startTime", "duration", "eventThread", "stackTrace").contains(f.getName())) {
                assertNotNull(f.getDescription(), field + " has a description");
            }
        }
    }

    private static RecordedEvent only(Path jfr, String event) throws IOException {
        List<RecordedEvent> found = events(jfr, event);
        assertEquals(1, found.size(), "one " + event + " event: " + found);
        return found.get(0);
    }

    private static List<RecordedEvent> events(Path jfr, String event) throws IOException {
        return RecordingFile.readAllEvents(jfr).stream()
            .filter(e -> e.getEventType().getName().equals("io.livepatch4j." + event)).toList();
    }
}
