package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.HookLog;
import io.livepatch4j.it.app.Tally;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Callbacks and state transformers (issue 13): each runs once, at its point, in the generation the
 * format says (Tally.version() tells which code ran); a pre-apply callback that vetoes and a
 * transformer that throws leave the JVM as it was; a rollback runs the reverse transformer, and one
 * that throws refuses the rollback.
 */
@ExtendWith(BackToLoadedCode.class)
class PatchHooksIT {

    private static final String TALLY = "io.livepatch4j.it.app.Tally";

    private static final String TALLY_V2 = """
        package io.livepatch4j.it.app;

        public class Tally {

            static String mode = "unset";

            public static String version() {
                return "v2";
            }

            public static String mode() {
                return mode;
            }
        }
        """;

    /**
     * The fix's hooks class, named per test (a class a patch added stays defined, so another fix names
     * its own); {@code preApply} and {@code transform} open those hooks' bodies.
     */
    private static String hooks(String name, String preApply, String transform) {
        return """
            package io.livepatch4j.it.app;

            import io.livepatch4j.quiescence.PatchCallback;
            import io.livepatch4j.quiescence.StateTransformer;

            public class %s {

                @PatchCallback(PatchCallback.Phase.PRE_APPLY)
                static void preApply() {
                    %s
                    HookLog.EVENTS.add("pre-apply " + Tally.version());
                }

                @StateTransformer
                static void migrate() {
                    %s
                    Tally.mode = "migrated";
                    HookLog.EVENTS.add("transform " + Tally.version());
                }

                @PatchCallback(PatchCallback.Phase.POST_APPLY)
                static void postApply() {
                    HookLog.EVENTS.add("post-apply " + Tally.version() + " " + Tally.mode());
                }

                @PatchCallback(PatchCallback.Phase.PRE_ROLLBACK)
                static void preRollback() {
                    HookLog.EVENTS.add("pre-rollback " + Tally.version());
                }

                @StateTransformer(reverse = true)
                static void unmigrate() {
                    if (HookLog.failReverse) {
                        throw new IllegalStateException("cannot go back now");
                    }
                    HookLog.EVENTS.add("reverse " + Tally.version() + " " + Tally.mode());
                }

                @PatchCallback(PatchCallback.Phase.POST_ROLLBACK)
                static void postRollback() {
                    HookLog.EVENTS.add("post-rollback " + Tally.version());
                }
            }
            """.formatted(name, preApply, transform);
    }

    private static Patch patch(String id, String preApply, String transform) {
        String name = "TallyHooks" + id.replace("-", "_");
        return TestPatches.buildLikeLp4j(id, Map.of(TALLY, TALLY_V2, "io.livepatch4j.it.app." + name,
            hooks(name, preApply, transform)));
    }

    @BeforeEach
    void clear() throws InterruptedException {
        assertTrue(LivePatch.awaitCallbacks(Duration.ofSeconds(10)), "the last test's rollback callbacks ran");
        HookLog.EVENTS.clear();
        HookLog.failReverse = false;
    }

    @Test
    void eachHookRunsOnceAtItsPointInItsGeneration() throws Exception {
        Patch p = patch("hooks-all", "", "");
        assertEquals(6, p.hooks().size(), p.hooks().toString());
        LivePatch.apply(p, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertTrue(LivePatch.awaitCallbacks(Duration.ofSeconds(10)));
        assertEquals(List.of("pre-apply v2", "transform v2", "post-apply v2 migrated"), HookLog.EVENTS,
            "pre-apply, then the transformer, before the generation is published, running the new code; "
                + "post-apply once the transition completed");
        assertEquals("migrated", Tally.mode(), "the transformer set the new generation's state");

        LivePatch.rollback(-1, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertTrue(LivePatch.awaitCallbacks(Duration.ofSeconds(10)));
        assertEquals(List.of("pre-rollback v2", "reverse v2 migrated", "post-rollback v1"), HookLog.EVENTS.subList(3, 6),
            "pre-rollback and the reverse in the patch's code, post-rollback in the code rolled back to");
        assertEquals("v1", Tally.version());
    }

    @Test
    void aPreApplyCallbackThatThrowsVetoesThePatchAndNothingChanges() throws Exception {
        long before = LivePatch.currentGeneration();
        Patch p = patch("hooks-veto", "if (true) throw new IllegalStateException(\"not during the batch run\");", "");
        PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(p, Strategy.LOCAL));
        assertTrue(e.getMessage().contains("pre-apply callback") && e.getMessage().contains("not during the batch run"),
            e.getMessage());
        assertEquals(before, LivePatch.currentGeneration(), "no generation was published");
        assertEquals("v1", Tally.version());
        assertEquals("none", Tally.mode());
        assertEquals(List.of(), HookLog.EVENTS, "no transformer or other callback ran");

        // The same patch without the veto applies: the refused one left nothing in the way.
        LivePatch.apply(patch("hooks-after-veto", "", ""), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("v2", Tally.version());
    }

    @Test
    void aTransformerThatThrowsRefusesThePatchAndNothingChanges() throws Exception {
        long before = LivePatch.currentGeneration();
        Patch p = patch("hooks-bad-transform", "", "if (true) throw new IllegalArgumentException(\"bad state\");");
        PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(p, Strategy.LOCAL));
        assertTrue(e.getMessage().contains("state transformer") && e.getMessage().contains("bad state"), e.getMessage());
        assertEquals(before, LivePatch.currentGeneration());
        assertEquals("v1", Tally.version());
        assertEquals(List.of("pre-apply v2"), HookLog.EVENTS, "only the pre-apply callback had run");
    }

    @Test
    void aPreApplyCallbackThatBlocksIsRefusedAfterTheHookTimeoutAndHoldsNothingBack() throws Exception {
        // The ITs run the agent with hookTimeoutMillis=3000 (agent/pom.xml).
        long before = LivePatch.currentGeneration();
        Patch stuck = patch("hooks-blocking", "try { Thread.sleep(600_000); } catch (InterruptedException e) { }", "");
        long t0 = System.nanoTime();
        PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(stuck, Strategy.LOCAL));
        assertTrue(e.getMessage().contains("did not return within 3000 ms"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "refused after the hook timeout, not when the hook returns");
        assertEquals(before, LivePatch.currentGeneration(), "nothing was published");
        assertEquals("v1", Tally.version());

        // The hook thread still sleeps, pinned to the aborted generation: a later patch completes anyway.
        LivePatch.apply(patch("hooks-after-blocking", "", ""), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the left-over hook thread holds nothing back");
        assertEquals("v2", Tally.version());
    }

    @Test
    void aReverseTransformerThatThrowsRefusesTheRollback() throws Exception {
        LivePatch.apply(patch("hooks-stuck", "", ""), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        long applied = LivePatch.currentGeneration();
        HookLog.failReverse = true;
        PatchException e = assertThrows(PatchException.class, () -> LivePatch.rollback(-1, Strategy.LOCAL));
        assertTrue(e.getMessage().contains("reverse transformer") && e.getMessage().contains("cannot go back now"),
            e.getMessage());
        assertEquals(applied, LivePatch.currentGeneration(), "the rollback changed nothing");
        assertEquals("v2", Tally.version());
        HookLog.failReverse = false;
    }
}
