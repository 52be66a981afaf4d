package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Catalog;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.ChangeKind;
import io.livepatch4j.patch.Patch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of change a patch may make, in one patch: new method bodies (instance, static,
 * constructor, interface default), added private and static methods, lambdas and method
 * references, a shadow field, super calls, protected members inherited from another package, and
 * an added class. Objects created before the patch keep working.
 */
@ExtendWith(BackToLoadedCode.class)
class ChangeKindsIT {

    private static Patch v2() {
        return TestPatches.build("catalog-v2", Map.of(
            "io.livepatch4j.it.app.Catalog", TestPatches.source("Catalog.java"),
            "io.livepatch4j.it.app.CatalogEntry", TestPatches.source("CatalogEntry.java"),
            "io.livepatch4j.it.app.Describable", TestPatches.source("Describable.java")));
    }

    @Test
    void patchWithEveryKindOfChangeRunsItsNewCodeOnOldAndNewObjects() throws Exception {
        Catalog before = new Catalog("  Books ");
        before.add("a");
        before.add("bb");
        assertEquals("Books:A,BB", before.describe());
        assertEquals("[Books:A,BB]", before.tag());
        assertEquals("catalog shelf of 8", before.label());
        assertEquals("cap=8", before.capacityInfo());

        Patch p = v2();
        assertTrue(p.allChanges().stream().anyMatch(c -> c.kind() == ChangeKind.FIELD_ADDED), p.allChanges().toString());
        assertEquals(1, p.newClasses().size());
        ApplyResult r = LivePatch.apply(p, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));

        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // An object created before the patch: its shadow field starts at 0.
            assertEquals("Books:<a>|<bb> #1 1xa;2xbb", pool.submit(before::describe).get());
            assertEquals("Books:<a>|<bb> #2 1xa;2xbb", pool.submit(before::describe).get());
            assertEquals("{Books:<a>|<bb> #3 1xa;2xbb}", pool.submit(before::tag).get(), "interface default method");
            assertEquals("catalog* shelf of 8", pool.submit(before::label).get(), "super call");
            assertEquals("cap=8 slots", pool.submit(before::capacityInfo).get(), "protected members of another package");
            assertEquals("v2", pool.submit(Catalog::kind).get(), "static method");

            // An object created after: the patched constructor body ran and wrote the final field.
            Catalog after = pool.submit(() -> new Catalog("  Music ")).get();
            assertEquals("music", after.name());
            after.add("c");
            assertEquals("music:<c> #1 1xc", pool.submit(after::describe).get(), "each object has its own shadow field");
        } finally {
            pool.shutdownNow();
        }

        LivePatch.rollback(r.fromGeneration(), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("Books:A,BB", before.describe());
        assertEquals("catalog shelf of 8", before.label());
        assertEquals("Music", new Catalog(" Music ").name());

        // Applying again reuses the class the first apply added; the shadow field kept its value.
        LivePatch.apply(p, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("Books:<a>|<bb> #4 1xa;2xbb", before.describe());
    }
}
