package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.PatchState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The state rule and what each generation includes, without a JVM to patch. */
class StateRuleTest {

    private static Patch patch(String id, boolean replace, PatchState... states) {
        return new Patch(id, "tests", "2026-11-29T00:00:00Z", null,
            List.of(new ClassPatch("com.acme.A", "a".repeat(64), new byte[] {1}, List.of())), List.of(), null)
            .withCumulative(replace, List.of(states));
    }

    private static PatchState state(String id, int version) {
        return new PatchState(id, version);
    }

    @Test
    void stackedPatchesAddThemselvesAndTheirStatesAtTheHighestVersion() {
        Includes g1 = Includes.NONE.after(patch("A", true, state("session-format", 2)));
        Includes g2 = g1.after(patch("C", false, state("session-format", 3), state("cache", 1)));
        assertEquals(List.of("A", "C"), g2.patches());
        assertEquals(Map.of("session-format", 3, "cache", 1), g2.versions());
        assertEquals("C", g2.states().get("session-format").patchId(), "the patch that set the live version up");
        Includes same = g1.after(patch("D", false, state("session-format", 2)));
        assertEquals("A", same.states().get("session-format").patchId(), "an equal version leaves the first patch named");
    }

    @Test
    void cumulativePatchIncludesOnlyItselfAndOnlyItsStates() {
        Includes live = Includes.NONE.after(patch("A", true, state("session-format", 2))).after(patch("C", false,
            state("cache", 1)));
        Includes next = live.after(patch("B", true, state("session-format", 2), state("cache", 4)));
        assertEquals(List.of("B"), next.patches());
        assertEquals(Map.of("session-format", 2, "cache", 4), next.versions());
    }

    @Test
    void cumulativePatchMustHandleEveryLiveStateAtItsVersionOrHigher() {
        Includes live = Includes.NONE.after(patch("A", true, state("session-format", 2)));
        PatchException none = assertThrows(PatchException.class, () -> StateRule.check(patch("B", true), live));
        assertTrue(none.getMessage().contains("patch B does not support state 'session-format' version 2 that live patch "
            + "A set up; build it with --state session-format=2 (or higher) after making it handle that state, or roll "
            + "back A first"), none.getMessage());
        assertTrue(none.getMessage().startsWith("refused patch B, nothing was changed"), none.getMessage());
        PatchException lower = assertThrows(PatchException.class,
            () -> StateRule.check(patch("B", true, state("session-format", 1)), live));
        assertTrue(lower.getMessage().contains("supports state 'session-format' only up to version 1, not version 2"),
            lower.getMessage());
        assertDoesNotThrow(() -> StateRule.check(patch("B", true, state("session-format", 2)), live));
        assertDoesNotThrow(() -> StateRule.check(patch("B", true, state("session-format", 3), state("new", 1)), live));
    }

    @Test
    void stackedPatchIsHeldOnlyToTheStatesItDeclares() {
        Includes live = Includes.NONE.after(patch("A", true, state("session-format", 2)));
        assertDoesNotThrow(() -> StateRule.check(patch("C", false), live), "the live patches' code keeps handling it");
        assertDoesNotThrow(() -> StateRule.check(patch("C", false, state("cache", 1)), live));
        assertThrows(PatchException.class, () -> StateRule.check(patch("C", false, state("session-format", 1)), live));
    }

    @Test
    void noLiveStateRefusesNothing() {
        assertDoesNotThrow(() -> StateRule.check(patch("B", true, state("x", 1)), Includes.NONE));
        assertEquals(List.of(), Includes.NONE.patches());
    }
}
