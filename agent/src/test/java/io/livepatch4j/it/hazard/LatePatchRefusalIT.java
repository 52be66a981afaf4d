package io.livepatch4j.it.hazard;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Status;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.hazard.app.Pair;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Suspected hazard s2 of issue 10: a patch refused late, after every check on its bytes passed.
 * Its changed class is fine and its added class is valid bytecode, but the class it extends is not
 * in the patch, so defining it fails. The refusal must leave no trace: status and generations as
 * before, the old code running, and the next valid patch applying normally.
 */
@ExtendWith(BackToLoadedCode.class)
class LatePatchRefusalIT {

    @Test
    @Timeout(60)
    void patchRefusedLateLeavesNoTrace() throws Exception {
        Patch compiled = TestPatches.hazard("late", "Pair", "LateBase", "LateAdded");
        Patch broken = new Patch("hazard-late-broken", compiled.compiler(), compiled.createdAt(), null, compiled.classes(),
            compiled.newClasses().stream().filter(c -> !c.name().endsWith(".LateBase")).toList(), null);
        assertEquals(1, broken.newClasses().size(), "the patch adds LateAdded alone");
        assertEquals("v1+v1", Pair.pair());
        Status before = LivePatch.status();

        PatchException refused = assertThrows(PatchException.class, () -> LivePatch.apply(broken, Strategy.LOCAL));

        Status after = LivePatch.status();
        assertAll("refused with: " + refused.getMessage(),
            () -> assertEquals(before.currentGeneration(), after.currentGeneration(), "the generation is unchanged"),
            () -> assertEquals(before.generations(), after.generations(), "no generation was recorded"),
            () -> assertEquals(before.transition(), after.transition(), "no transition began"),
            () -> assertEquals(before.classes(), after.classes(), "status lists the same patched classes as before: "
                + StatusJson.of(after)),
            () -> assertEquals("v1+v1", Quiescence.call(Pair::pair), "units run the old code"));

        LivePatch.apply(TestPatches.hazard("pair", "Pair"), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the next valid patch completes");
        assertEquals("v2+v2", Quiescence.call(Pair::pair), "and runs");
    }
}
