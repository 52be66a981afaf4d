package io.livepatch4j.it.review29;

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
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review 29: the variants of a deferred class's constructor calls are spliced in as the class is
 * defined (ConstructorCalls.ahead). A define cannot be undone: whatever the spliced code does to the
 * class's linking, or to its preparation, stays.
 */
class Review29DeferredPrefixIT {

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

    // ---- 1: a this(...) variant that names a class the patch adds ----

    private static final String P1 = "io.livepatch4j.it.gen.r29.thisnew";

    private static GenBuild thisNew(boolean v2) {
        Map<String, String> src = new HashMap<>();
        src.put(P1 + ".Shape", "package " + P1 + ";\npublic class Shape { public String name() { return \"shape\"; } }");
        if (v2) {
            src.put(P1 + ".Circle", "package " + P1 + ";\npublic class Circle extends Shape { public String name() { return \"circle\"; } }");
        }
        src.put(P1 + ".Thing", "package " + P1 + ";\npublic class Thing implements java.util.function.Supplier<String> {"
            + " final Shape s;"
            + " public Thing() { this(" + (v2 ? "new Circle()" : "new Shape()") + "); }"
            + " public Thing(Shape s) { this.s = s; }"
            + " public String get() { return s.name() + \" " + (v2 ? "v2" : "v1") + "\"; } }");
        src.put(P1 + ".Anchor", "package " + P1 + ";\npublic class Anchor { public static String tag() { return \""
            + (v2 ? "v2" : "v1") + "\"; } }");
        return GenBuild.compile(src);
    }

    /**
     * The deferred class's new this(...) call passes an object of a class the patch adds where the
     * loaded constructor takes its superclass: verifying that code loads the new class. Whether the
     * patch applies or is refused, the class must stay usable: built by the new call after an apply,
     * by the old one after a refusal. Before d2c5dfb the patch is refused (the retransformation's
     * verification cannot find the new class) and the class works.
     */
    @Test
    void aDeferredClassWhosePrefixNamesANewClassStaysUsable() throws Exception {
        GenBuild v1 = thisNew(false);
        GenBuild v2 = thisNew(true);
        PatchBuilder.Report fix = GenBuild.patch("r29-this-new", v1, v2);
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        long start = LivePatch.currentGeneration();
        try (BuildLoader loader = new BuildLoader(v1)) {
            loader.loadClass(P1 + ".Anchor");
            assertTrue(!loader.loaded(P1 + ".Thing"), "no code has loaded the class the patch changes");
            ApplyResult applied = null;
            String refusal = null;
            try {
                applied = LivePatch.apply(fix.patch(), Strategy.LOCAL);
                assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes");
            } catch (PatchException e) {
                refusal = e.getMessage();
            }
            String got;
            try {
                got = get(loader, P1 + ".Thing");
            } catch (Throwable t) {
                got = "FAILED: " + describe(t);
            }
            assertEquals(applied != null ? "circle v2" : "shape v1", got,
                "the class works after the patch " + (applied != null ? "applied" : "was refused (" + refusal + ")"));
        } finally {
            if (LivePatch.currentGeneration() != start) {
                LivePatch.rollback(start, Strategy.LOCAL);
                LivePatch.awaitTransition(Duration.ofSeconds(10));
            }
        }
    }

    // ---- 2: a super(...) variant naming a new class, the patch refused for another class ----

    private static final String P2 = "io.livepatch4j.it.gen.r29.supernew";

    private static GenBuild superNew(boolean v2) {
        Map<String, String> src = new HashMap<>();
        src.put(P2 + ".Shape", "package " + P2 + ";\npublic class Shape { public String name() { return \"shape\"; } }");
        if (v2) {
            src.put(P2 + ".Circle", "package " + P2 + ";\npublic class Circle extends Shape { public String name() { return \"circle\"; } }");
        }
        src.put(P2 + ".Base", "package " + P2 + ";\npublic class Base { protected final Shape s;"
            + " protected Base(Shape s) { this.s = s; } }");
        src.put(P2 + ".Thing", "package " + P2 + ";\npublic class Thing extends Base implements java.util.function.Supplier<String> {"
            + " public Thing() { super(" + (v2 ? "new Circle()" : "new Shape()") + "); }"
            + " public String get() { return s.name() + \" " + (v2 ? "v2" : "v1") + "\"; } }");
        // Loaded; its new super(...) call names the new class too: retransforming it (before the new
        // classes are defined) fails verification, so the agent refuses the patch, after it loaded the
        // deferred classes ("the JVM would not redefine ... nothing was changed").
        src.put(P2 + ".Other", "package " + P2 + ";\npublic class Other extends Base {"
            + " public Other() { super(" + (v2 ? "new Circle()" : "new Shape()") + "); }"
            + " public String toString() { return s.name(); } }");
        return GenBuild.compile(src);
    }

    /**
     * A patch refused after it loaded its deferred classes ("nothing was changed") must leave them
     * working: the deferred class's spliced variant names the class the refused patch never defined.
     */
    @Test
    void aRefusedPatchLeavesItsDeferredClassUsable() throws Exception {
        GenBuild v1 = superNew(false);
        GenBuild v2 = superNew(true);
        PatchBuilder.Report fix = GenBuild.patch("r29-super-new", v1, v2);
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        long start = LivePatch.currentGeneration();
        try (BuildLoader loader = new BuildLoader(v1)) {
            loader.loadClass(P2 + ".Other").getConstructor().newInstance();
            assertTrue(!loader.loaded(P2 + ".Thing"), "no code has loaded the class the patch changes");
            String refusal = null;
            try {
                LivePatch.apply(fix.patch(), Strategy.LOCAL);
                LivePatch.awaitTransition(Duration.ofSeconds(10));
            } catch (PatchException e) {
                refusal = e.getMessage();
            }
            assertNotNull(refusal, "the agent refuses the patch for Other's new super(...) call");
            assertEquals(start, LivePatch.currentGeneration(), "nothing was applied");
            String got;
            try {
                got = get(loader, P2 + ".Thing");
            } catch (Throwable t) {
                got = "FAILED: " + describe(t);
            }
            assertEquals("shape v1", got, "after the refusal (" + refusal + ") the class works as loaded");
        } finally {
            if (LivePatch.currentGeneration() != start) {
                LivePatch.rollback(start, Strategy.LOCAL);
                LivePatch.awaitTransition(Duration.ofSeconds(10));
            }
        }
    }

    // ---- 3: a constructor too large to hold its variant too ----

    private static final String P3 = "io.livepatch4j.it.gen.r29.huge";
    private static GenBuild huge(boolean v2) {
        return GenBuild.compile(io.livepatch4j.it.support.HugeConstructor.sources(P3, v2, true));
    }

    /**
     * A deferred class whose constructor with its spliced variant would exceed the JVM's 64 KB code
     * limit: the prepared transformer then fails, and the class must not load silently unprepared
     * while the patch reports it applied. After the apply the patch's code runs (get() says v2, the
     * object is built by the new this(...) call), or the patch is refused and the class runs v1.
     */
    @Test
    void aConstructorTooLargeForItsVariantIsNeverLeftRunningOldCode() throws Exception {
        GenBuild v1 = huge(false);
        GenBuild v2 = huge(true);
        PatchBuilder.Report fix = GenBuild.patch("r29-huge", v1, v2);
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        long start = LivePatch.currentGeneration();
        try (BuildLoader loader = new BuildLoader(v1)) {
            loader.loadClass(P3 + ".Anchor");
            assertTrue(!loader.loaded(P3 + ".Thing"), "no code has loaded the class the patch changes");
            ApplyResult applied = null;
            String refusal = null;
            try {
                applied = LivePatch.apply(fix.patch(), Strategy.LOCAL);
                assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes");
            } catch (PatchException e) {
                refusal = e.getMessage();
            }
            String got;
            try {
                got = get(loader, P3 + ".Thing");
            } catch (Throwable t) {
                got = "FAILED: " + describe(t);
            }
            assertEquals(applied != null ? "6 v2" : "5 v1", got,
                "the class runs the code of its generation after the patch "
                    + (applied != null ? "applied (left out: " + applied.leftOut() + ")" : "was refused (" + refusal + ")"));
        } finally {
            if (LivePatch.currentGeneration() != start) {
                LivePatch.rollback(start, Strategy.LOCAL);
                LivePatch.awaitTransition(Duration.ofSeconds(10));
            }
        }
    }

    // ---- 4: another loader defines the same class file while the patch loads it ----

    private static final String P4 = "io.livepatch4j.it.gen.r29.sibling";

    private static GenBuild sibling(boolean v2) {
        Map<String, String> src = new HashMap<>();
        src.put(P4 + ".Shape", "package " + P4 + ";\npublic class Shape { public String name() { return \"shape\"; } }");
        if (v2) {
            src.put(P4 + ".Circle", "package " + P4 + ";\npublic class Circle extends Shape { public String name() { return \"circle\"; } }");
        }
        src.put(P4 + ".Base", "package " + P4 + ";\npublic class Base { protected final Shape s;"
            + " protected Base(Shape s) { this.s = s; } }");
        src.put(P4 + ".Thing", "package " + P4 + ";\npublic class Thing extends Base implements java.util.function.Supplier<String> {"
            + " public Thing() { super(" + (v2 ? "new Circle()" : "new Shape()") + "); }"
            + " public String get() { return s.name() + \" " + (v2 ? "v2" : "v1") + "\"; } }");
        src.put(P4 + ".Anchor", "package " + P4 + ";\npublic class Anchor { public static String tag() { return \""
            + (v2 ? "v2" : "v1") + "\"; } }");
        return GenBuild.compile(src);
    }

    /** A loader that, asked for {@code name}, first has {@code sibling} load it (two web applications over one jar). */
    static final class Hooked extends URLClassLoader {
        private final String name;
        volatile ClassLoader sibling;

        Hooked(GenBuild build, String name) throws Exception {
            super(new URL[] {build.classes.toUri().toURL()}, Review29DeferredPrefixIT.class.getClassLoader());
            this.name = name;
        }

        @Override
        protected Class<?> findClass(String n) throws ClassNotFoundException {
            ClassLoader s = sibling;
            if (n.equals(name) && s != null) {
                sibling = null;
                s.loadClass(n);
            }
            return super.findClass(n);
        }

        boolean loaded(String n) {
            return findLoadedClass(n) != null;
        }
    }

    /**
     * Another loader over the same class files defines the deferred class while the patch loads it in
     * the first: that copy gets the variant spliced too (expected by name and bytes, not by loader).
     * The patch does not touch that copy; it must keep working as loaded.
     */
    @Test
    void anotherLoadersCopyDefinedDuringTheLoadStaysUsable() throws Exception {
        GenBuild v1 = sibling(false);
        GenBuild v2 = sibling(true);
        PatchBuilder.Report fix = GenBuild.patch("r29-sibling", v1, v2);
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        long start = LivePatch.currentGeneration();
        try (Hooked first = new Hooked(v1, P4 + ".Thing"); BuildLoader second = new BuildLoader(v1)) {
            first.loadClass(P4 + ".Anchor");
            assertTrue(!first.loaded(P4 + ".Thing") && !second.loaded(P4 + ".Thing"), "no code has loaded the class");
            first.sibling = second;
            String refusal = null;
            try {
                LivePatch.apply(fix.patch(), Strategy.LOCAL);
                assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes");
            } catch (PatchException e) {
                refusal = e.getMessage(); // before d2c5dfb: the retransformation's verification cannot find Circle
            }
            assertTrue(second.loaded(P4 + ".Thing"), "the other loader defined its copy during the patch's load");
            assertEquals(refusal == null ? "circle v2" : "shape v1", get(first, P4 + ".Thing"),
                "the patch's copy runs the call of its generation (refused: " + refusal + ")");
            String got;
            try {
                got = get(second, P4 + ".Thing");
            } catch (Throwable t) {
                got = "FAILED: " + describe(t);
            }
            assertEquals("shape v1", got, "the other loader's copy, which no patch touches, works as loaded");
        } finally {
            if (LivePatch.currentGeneration() != start) {
                LivePatch.rollback(start, Strategy.LOCAL);
                LivePatch.awaitTransition(Duration.ofSeconds(10));
            }
        }
    }
}
