package io.livepatch4j.it;

import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.agent.bootstrap.DispatchSite;
import io.livepatch4j.agent.bootstrap.Generations;
import io.livepatch4j.agent.bootstrap.PatchableClass;
import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** After a transition completes, calls go straight to the live code and retired code is unloaded. */
class RetirementIT {

    @Test
    void retiredGenerationIsGarbageCollectedAndCallsTakeTheDirectPath() throws Exception {
        Greeter g = new Greeter("r");
        Patch v2 = TestPatches.greeterV2();
        ApplyResult applied = LivePatch.apply(v2, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));

        PatchableClass pc = PatchableClass.of(Greeter.class);
        assertTrue(pc.patched(), "the guard is on");
        assertFalse(pc.sites().isEmpty());
        for (DispatchSite s : pc.sites()) {
            assertEquals(DispatchSite.Mode.DIRECT, s.mode(), "no generation check after retirement: " + s.name());
        }
        assertEquals("v2", g.first());

        ClassVersion v1 = Generations.current().version(pc.index());
        assertNotNull(v1.implClass());
        WeakReference<Class<?>> retiredCode = new WeakReference<>(v1.implClass());

        LivePatch.rollback(applied.fromGeneration(), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("v1", g.first());
        assertFalse(pc.patched(), "back to the code as loaded: the guard is off again");
        assertNull(v1.implClass(), "the retired version released its implementation");

        for (int i = 0; i < 50 && retiredCode.get() != null; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertNull(retiredCode.get(), "the retired generation's implementation class was unloaded");
    }
}
