package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Defaults;
import io.livepatch4j.it.app.DefaultsUser;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lp4j build --reinitialize} (issue 13): state a static initializer built with the old code
 * (here Defaults.LOOKUPS, built from Lookups.defaults(), as commons-text's shared interpolator is)
 * is built again, once, by the new code when the patch is applied; the new generation sees it from
 * every class that reads it, the old generation keeps the old, a rollback brings the old back, and an
 * initializer that throws refuses the patch and changes nothing.
 */
@ExtendWith(BackToLoadedCode.class)
class ReinitializeIT {

    private static final String LOOKUPS = "io.livepatch4j.it.app.Lookups";
    private static final String DEFAULTS = "io.livepatch4j.it.app.Defaults";
    private static final String USER = "io.livepatch4j.it.app.DefaultsUser";
    private static final String OLD = "[base64, url, script]";

    private static String lookups(String body) {
        return """
            package io.livepatch4j.it.app;

            import java.util.ArrayList;
            import java.util.List;

            public class Lookups {

                static List<String> defaults() {
                    %s
                }
            }
            """.formatted(body);
    }

    private static Patch fixed(String id, String body) {
        return TestPatches.buildLikeLp4j(id, Map.of(LOOKUPS, lookups(body)), List.of(DEFAULTS, USER), List.of(DEFAULTS));
    }

    @Test
    void theBuilderBringsTheClassAndEveryReaderOfItsStaticState() {
        Patch p = fixed("reinit-shape", "return new ArrayList<>(List.of(\"base64\"));");
        ClassPatch defaults = p.classPatch(DEFAULTS);
        assertTrue(defaults != null && defaults.reinitialize(), "the class is re-initialized: " + p.classes());
        assertTrue(p.classPatch(USER) != null && !p.classPatch(USER).reinitialize(),
            "its reader comes along, though unchanged: " + p.classes());
        assertTrue(p.classPatch(USER).changes().stream().anyMatch(c -> c.note() != null && c.note().contains("re-initializes")),
            p.classPatch(USER).changes().toString());
    }

    @Test
    void theNewGenerationSeesStateBuiltAgainByTheNewCodeAndARollbackBringsTheOldBack() throws Exception {
        assertEquals(OLD + " built 1", Defaults.lookups());
        assertEquals("using " + OLD, DefaultsUser.describe());
        Patch p = fixed("reinit-fix", "return new ArrayList<>(List.of(\"base64\"));");

        // A unit of work that runs the old code while the patch is applied keeps the old state to its end.
        CountDownLatch inside = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean applied = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.Set<String> oldUnit = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Thread t = new Thread(() -> io.livepatch4j.quiescence.Quiescence.run(() -> {
            long until = Long.MAX_VALUE;
            while (System.nanoTime() < until) {
                oldUnit.add(Defaults.lookups() + " / " + DefaultsUser.describe());
                inside.countDown();
                if (applied.get() && until == Long.MAX_VALUE) {
                    until = System.nanoTime() + 100_000_000L; // and on for 100 ms after the apply
                }
            }
        }));
        t.start();
        inside.await();
        LivePatch.apply(p, Strategy.LOCAL);
        applied.set(true);
        t.join();
        assertEquals(java.util.Set.of(OLD + " built 1 / using " + OLD), oldUnit, "the unit that ran before the patch");
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("[base64] built 1", Defaults.lookups(), "built again by the new initializer, with the new code");
        assertEquals("using [base64]", DefaultsUser.describe(), "an unchanged reader in another class sees it too");

        LivePatch.rollback(-1, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals(OLD + " built 1", Defaults.lookups(), "the rollback brings back the state the old code built");
        assertEquals("using " + OLD, DefaultsUser.describe());

        LivePatch.apply(p, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("[base64] built 1", Defaults.lookups(), "applied again: built again");
    }

    @Test
    void aReinitializationThatThrowsRefusesThePatchAndChangesNothing() throws Exception {
        long before = LivePatch.currentGeneration();
        Patch bad = fixed("reinit-bad", "throw new IllegalStateException(\"no defaults\");");
        PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(bad, Strategy.LOCAL));
        assertTrue(e.getMessage().contains("static initializer of " + DEFAULTS + " threw"), e.getMessage());
        assertEquals(before, LivePatch.currentGeneration(), "no generation was published");
        assertEquals(OLD + " built 1", Defaults.lookups());
        assertEquals("using " + OLD, DefaultsUser.describe());
    }

    @Test
    void aLaterPatchOnTopKeepsTheFreshState() throws Exception {
        Patch p = fixed("reinit-base", "return new ArrayList<>(List.of(\"base64\"));");
        LivePatch.apply(p, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        Patch next = TestPatches.buildOn(p, "reinit-next", Map.of(USER, """
            package io.livepatch4j.it.app;

            public class DefaultsUser {

                public static String describe() {
                    return "now using " + Defaults.LOOKUPS;
                }
            }
            """));
        LivePatch.apply(next, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("now using [base64]", DefaultsUser.describe(), "the changed reader reads the fresh state");
        assertEquals("[base64] built 1", Defaults.lookups());
    }
}
