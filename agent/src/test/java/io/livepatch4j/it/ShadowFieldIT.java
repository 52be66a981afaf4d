package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Linked;
import io.livepatch4j.it.support.TestPatches;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fields a patch adds (shadow fields): their values are the object's own, and never keep it alive. */
class ShadowFieldIT {

    @BeforeAll
    static void applyV2() throws Exception {
        LivePatch.apply(TestPatches.build("linked-v2", Map.of("io.livepatch4j.it.app.Linked",
            TestPatches.source("Linked.java"))), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
    }

    @Test
    void shadowValueThatRefersToItsObjectNeverKeepsItAlive() throws Exception {

        List<WeakReference<Linked>> refs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Linked o = new Linked();
            Object[] kept = o.remember("n" + i);
            assertSame(o, kept[0], "the added field holds what v2 stored");
            assertSame(kept, o.remember("again"), "and keeps it");
            refs.add(new WeakReference<>(o));
        }
        for (int i = 0; i < 50 && refs.stream().anyMatch(r -> r.get() != null); i++) {
            System.gc();
            Thread.sleep(20);
        }
        long alive = refs.stream().filter(r -> r.get() != null).count();
        assertEquals(0, alive, "objects whose shadow value refers back to them are collected");
    }

    @Test
    void cloneDoesNotShareItsOriginalsShadowValues() {
        Linked original = new Linked();
        Object[] mine = original.remember("original");
        Linked copy = original.clone();
        Object[] theirs = copy.remember("copy");
        assertNotSame(mine, theirs, "a clone starts with its own (default) value, as a field it never set");
        assertSame(copy, theirs[0]);
        assertSame(mine, original.remember("x"), "the original keeps its value");
    }
}
