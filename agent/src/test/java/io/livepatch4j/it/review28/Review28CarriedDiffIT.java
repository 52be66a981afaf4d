package io.livepatch4j.it.review28;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.GenBuild;
import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.Sha256;
import io.livepatch4j.patch.build.PatchBuilder;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Change 2 (the agent's checks use ClassDiff.compareCarried, without NotCarriedDiff): a class file
 * that differs in what a patch does not carry (annotations, parameter names, throws clauses) and
 * in its hierarchy is still refused by the agent; one that differs in those and in a body applies.
 */
class Review28CarriedDiffIT {

    private static final String C = "io.livepatch4j.it.gen.r28nc.C";

    private static GenBuild build(String annotation, String params, String throwsClause, String iface, String body) {
        return GenBuild.compile(Map.of(C, "package io.livepatch4j.it.gen.r28nc;\n"
            + "public class C implements java.util.function.Supplier<String>" + iface + " {\n"
            + "  " + annotation + " public String get() { return \"" + body + "\"; }\n"
            + "  public int t(int " + params + ") " + throwsClause + " { return " + params + "; }\n"
            + (iface.isEmpty() ? "" : "  public void run() { }\n")
            + "}\n"));
    }

    @SuppressWarnings("unchecked")
    private static String call(ClassLoader l) throws Exception {
        return ((java.util.function.Supplier<String>) Class.forName(C, true, l).getConstructor().newInstance()).get();
    }

    @Test
    void aHierarchyChangeBesideNotCarriedOnesIsStillRefusedAndNotCarriedOnesBesideABodyApply() throws Exception {
        GenBuild v1 = build("@Deprecated", "x", "throws java.io.IOException", "", "v1");
        GenBuild v2 = build("", "y", "", "", "v2");
        GenBuild v3 = build("", "y", "", ", Runnable", "v3");
        PatchBuilder.Report fix = GenBuild.patch("r28-not-carried", v1, v2);
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        assertFalse(fix.patch().notCarried().isEmpty(), "the builder reports what it does not carry");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {v1.classes.toUri().toURL()}, getClass().getClassLoader())) {
            assertEquals("v1", call(loader));
            long before = LivePatch.currentGeneration();

            // Hand-made: v3's class file (an interface added, beside the same not-carried differences) under v2's changes.
            ClassPatch good = fix.patch().classes().get(0);
            Patch bad = new Patch("r28-not-carried-hierarchy", fix.patch().compiler(), fix.patch().createdAt(), "bad",
                List.of(new ClassPatch(C, Sha256.hex(v1.bytes.get(C)), v3.bytes.get(C), good.changes())),
                List.of(), null);
            PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(bad, Strategy.LOCAL));
            assertTrue(e.getMessage().contains("interfaces it implements changed"), e.getMessage());
            assertEquals(before, LivePatch.currentGeneration(), "nothing changed");
            assertEquals("v1", call(loader));

            ApplyResult applied = LivePatch.apply(fix.patch(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes");
            assertEquals("v2", call(loader));
            LivePatch.rollback(applied.fromGeneration(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the rollback completes");
            assertEquals("v1", call(loader));
        }
    }
}
