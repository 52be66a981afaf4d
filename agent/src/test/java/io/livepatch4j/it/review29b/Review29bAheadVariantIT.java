package io.livepatch4j.it.review29b;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.BuildLoader;
import io.livepatch4j.it.support.GenBuild;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.build.PatchBuilder;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review 29b: the variants spliced into a deferred class as it is defined (AheadVariants). The safety
 * rule accepts a class that exists as a resource of the loader; existing as a resource is not being
 * loadable, and the verifier may load it as it links the class, after a define that cannot be undone.
 */
class Review29bAheadVariantIT {

    static String get(ClassLoader loader, String name) throws Exception {
        return BuildLoader.supplied(loader, name);
    }

    static String describe(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append(" <- ");
        }
        return b.toString();
    }

    // ---- 1: the new super(...) call passes an object of a class whose superclass is absent here ----

    private static final String P1 = "io.livepatch4j.it.gen.r29b.optional";

    /** Opt extends Missing extends Shape; Missing (an optional dependency) is absent where the patch runs. */
    private static GenBuild optional(boolean v2) {
        return optional(v2, false, P1);
    }

    private static GenBuild optional(boolean v2, boolean optPatched, String P1) {
        Map<String, String> src = new HashMap<>();
        src.put(P1 + ".Shape", "package " + P1 + ";\npublic class Shape { public String name() { return \"shape\"; } }");
        src.put(P1 + ".Missing", "package " + P1 + ";\npublic class Missing extends Shape { }");
        src.put(P1 + ".Opt", "package " + P1 + ";\npublic class Opt extends Missing {"
            + " public static Opt make() { return new Opt(); } public String name() { return \"opt"
            + (optPatched && v2 ? "2" : "") + "\"; } }");
        src.put(P1 + ".Base", "package " + P1 + ";\npublic class Base { protected final Shape s;"
            + " protected Base(Shape s) { this.s = s; } }");
        src.put(P1 + ".Thing", "package " + P1 + ";\npublic class Thing extends Base implements java.util.function.Supplier<String> {"
            + " public Thing() { super(" + (v2 ? "Opt.make()" : "new Shape()") + "); }"
            + " public String get() { return s.name() + \" " + (v2 ? "v2" : "v1") + "\"; } }");
        src.put(P1 + ".Anchor", "package " + P1 + ";\npublic class Anchor { public static String tag() { return \""
            + (v2 ? "v2" : "v1") + "\"; } }");
        return GenBuild.compile(src);
    }

    /**
     * The deferred class's new super(...) call passes an Opt where the superclass constructor takes a
     * Shape: verifying it loads Opt, whose superclass is absent (a library's optional dependency). Opt's
     * class file is a resource of the loader, so the rule splices the variant. Whatever the patch does
     * (refused, or applied and rolled back), generation-0 code must still be able to build a Thing, as
     * it could before the patch: the class's old code never needs Opt.
     */
    @Test
    void aVariantNamingAnUnloadableResourceLeavesTheClassUsable() throws Exception {
        GenBuild v1 = optional(false);
        GenBuild v2 = optional(true);
        PatchBuilder.Report fix = GenBuild.patch("r29b-optional", v1, v2);
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        Files.delete(v1.classes.resolve(P1.replace('.', '/') + "/Missing.class"));
        long start = LivePatch.currentGeneration();
        try (BuildLoader loader = new BuildLoader(v1)) {
            loader.loadClass(P1 + ".Anchor");
            assertTrue(!loader.loaded(P1 + ".Thing"), "no code has loaded the class the patch changes");
            ApplyResult applied = null;
            String refusal = null;
            try {
                applied = LivePatch.apply(fix.patch(), Strategy.LOCAL);
                LivePatch.awaitTransition(Duration.ofSeconds(10));
            } catch (PatchException e) {
                refusal = e.getMessage();
            }
            if (LivePatch.currentGeneration() != start) {
                LivePatch.rollback(start, Strategy.LOCAL);
                assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the rollback completes");
                start = LivePatch.currentGeneration();
            }
            String got;
            try {
                got = get(loader, P1 + ".Thing");
            } catch (Throwable t) {
                got = "FAILED: " + describe(t);
            }
            assertEquals("shape v1", got, "in the starting generation the class works as loaded (patch "
                + (applied != null ? "applied, left out " + applied.leftOut() + ", rolled back" : "refused: " + refusal) + ")");
        } finally {
            if (LivePatch.currentGeneration() != start) {
                LivePatch.rollback(start, Strategy.LOCAL);
                LivePatch.awaitTransition(Duration.ofSeconds(10));
            }
        }
    }

    // ---- 2: the same, where the unloadable class is a class of the patch (deferred, left out) ----

    private static final String P2 = "io.livepatch4j.it.gen.r29b.optpatched";

    /**
     * As above, with Opt changed by the patch too: the rule takes it as there (a deferred class of the
     * patch), but it cannot load; the patch leaves it out. Generation-0 code must still build a Thing.
     */
    @Test
    void aVariantNamingADeferredClassThatCannotLoadLeavesTheClassUsable() throws Exception {
        GenBuild v1 = optional(false, true, P2);
        GenBuild v2 = optional(true, true, P2);
        PatchBuilder.Report fix = GenBuild.patch("r29b-optpatched", v1, v2);
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        Files.delete(v1.classes.resolve(P2.replace('.', '/') + "/Missing.class"));
        long start = LivePatch.currentGeneration();
        try (BuildLoader loader = new BuildLoader(v1)) {
            loader.loadClass(P2 + ".Anchor");
            assertTrue(!loader.loaded(P2 + ".Thing"), "no code has loaded the class the patch changes");
            ApplyResult applied = null;
            String refusal = null;
            try {
                applied = LivePatch.apply(fix.patch(), Strategy.LOCAL);
                LivePatch.awaitTransition(Duration.ofSeconds(10));
            } catch (PatchException e) {
                refusal = e.getMessage();
            }
            if (LivePatch.currentGeneration() != start) {
                LivePatch.rollback(start, Strategy.LOCAL);
                assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the rollback completes");
                start = LivePatch.currentGeneration();
            }
            String got;
            try {
                got = get(loader, P2 + ".Thing");
            } catch (Throwable t) {
                got = "FAILED: " + describe(t);
            }
            assertEquals("shape v1", got, "in the starting generation the class works as loaded (patch "
                + (applied != null ? "applied, left out " + applied.leftOut() + ", rolled back" : "refused: " + refusal) + ")");
        } finally {
            if (LivePatch.currentGeneration() != start) {
                LivePatch.rollback(start, Strategy.LOCAL);
                LivePatch.awaitTransition(Duration.ofSeconds(10));
            }
        }
    }

    // ---- 3: the class is defined by a parent loader that cannot see a class the variant names ----

    private static final String P3 = "io.livepatch4j.it.gen.r29b.parent";

    /**
     * Two directories: Shape, Base, Thing in the parent's; Opt (a Shape) and Anchor in the child's (a
     * plugin loader over a shared library). The patch loads through the child (Anchor), which
     * delegates Thing to the parent; the variant names Opt, a resource of the child, which the parent,
     * the class's defining loader, cannot load. The variant is spliced into the parent's Thing anyway.
     */
    @Test
    void aVariantNamingAClassOnlyTheChildSeesLeavesTheParentsClassUsable() throws Exception {
        Map<Boolean, GenBuild> builds = new HashMap<>();
        for (boolean v2 : new boolean[] {false, true}) {
            Map<String, String> src = new HashMap<>();
            src.put(P3 + ".Shape", "package " + P3 + ";\npublic class Shape { public String name() { return \"shape\"; } }");
            src.put(P3 + ".Opt", "package " + P3 + ";\npublic class Opt extends Shape {"
                + " public static Opt make() { return new Opt(); } public String name() { return \"opt\"; } }");
            src.put(P3 + ".Base", "package " + P3 + ";\npublic class Base { protected final Shape s;"
                + " protected Base(Shape s) { this.s = s; } }");
            src.put(P3 + ".Thing", "package " + P3 + ";\npublic class Thing extends Base implements java.util.function.Supplier<String> {"
                + " public Thing() { super(" + (v2 ? "Opt.make()" : "new Shape()") + "); }"
                + " public String get() { return s.name() + \" " + (v2 ? "v2" : "v1") + "\"; } }");
            src.put(P3 + ".Anchor", "package " + P3 + ";\npublic class Anchor { public static String tag() { return \""
                + (v2 ? "v2" : "v1") + "\"; } }");
            builds.put(v2, GenBuild.compile(src));
        }
        GenBuild v1 = builds.get(false);
        PatchBuilder.Report fix = GenBuild.patch("r29b-parent", v1, builds.get(true));
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        java.nio.file.Path childDir = Files.createTempDirectory("lp4j-r29b-child");
        for (String n : new String[] {"Opt", "Anchor"}) {
            java.nio.file.Path from = v1.classes.resolve(P3.replace('.', '/') + "/" + n + ".class");
            java.nio.file.Path to = childDir.resolve(P3.replace('.', '/') + "/" + n + ".class");
            Files.createDirectories(to.getParent());
            Files.move(from, to);
        }
        long start = LivePatch.currentGeneration();
        try (BuildLoader parent = new BuildLoader(v1);
             URLClassLoader child = new URLClassLoader(new URL[] {childDir.toUri().toURL()}, parent)) {
            child.loadClass(P3 + ".Anchor");
            assertTrue(!parent.loaded(P3 + ".Thing"), "no code has loaded the class the patch changes");
            ApplyResult applied = null;
            String refusal = null;
            try {
                applied = LivePatch.apply(fix.patch(), Strategy.LOCAL);
                LivePatch.awaitTransition(Duration.ofSeconds(10));
            } catch (PatchException e) {
                refusal = e.getMessage();
            }
            String outcome = applied != null ? "applied, left out " + applied.leftOut() : "refused: " + refusal;
            if (LivePatch.currentGeneration() != start) {
                LivePatch.rollback(start, Strategy.LOCAL);
                assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the rollback completes");
                start = LivePatch.currentGeneration();
                outcome += ", rolled back";
            }
            String got;
            try {
                got = get(child, P3 + ".Thing");
            } catch (Throwable t) {
                got = "FAILED: " + describe(t);
            }
            assertEquals("shape v1", got, "in the starting generation the class works as loaded (patch " + outcome + ")");
        } finally {
            if (LivePatch.currentGeneration() != start) {
                LivePatch.rollback(start, Strategy.LOCAL);
                LivePatch.awaitTransition(Duration.ofSeconds(10));
            }
        }
    }
}
