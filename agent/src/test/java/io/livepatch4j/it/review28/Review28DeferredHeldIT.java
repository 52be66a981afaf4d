package io.livepatch4j.it.review28;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.GenBuild;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.build.PatchBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Deferred classes through a correct (parallel-capable) loader, applied from a thread that shares its
 * work: the request's thread loads them alone (review28 found loading on helpers deadlocks some
 * loaders). Classes that cannot link are left out in the patch's order, none is initialized, a
 * refusal lists its problems in order and changes nothing, and no helper outlives the apply.
 */
class Review28DeferredHeldIT {

    private static String supplier(String pkg, String name, String ext, String v) {
        return "package " + pkg + ";\npublic class " + name + ext + " implements java.util.function.Supplier<String> {"
            + " static { System.setProperty(\"" + pkg + "." + name + ".initialized\", \"yes\"); }"
            + " public String get() { return \"" + name + " v" + v + "\"; } }";
    }

    private static void noHelperLeft() throws InterruptedException {
        for (int i = 0; i < 50 && !R28Support.threads("livepatch4j-apply-").isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), R28Support.threads("livepatch4j-apply-"), "no helper outlives the apply");
    }

    @org.junit.jupiter.api.BeforeEach
    void forgetDefiners() {
        R28Support.DEFINERS.clear();
        R28Support.DEFINED_BY.clear();
    }

    private static ApplyResult apply(io.livepatch4j.patch.Patch patch) throws Exception {
        CompletableFuture<ApplyResult> f = R28Support.applySharing(patch, "r28-lp4j-request");
        ApplyResult r = R28Support.await(f, 30);
        if (r == null) {
            fail("the apply did not return within 30 s\n" + R28Support.deadlocks());
        }
        return r;
    }

    @Test
    void classesThatCannotLinkAreLeftOutInThePatchsOrderAndNothingIsInitialized() throws Exception {
        String p = "io.livepatch4j.it.gen.r28left";
        Map<String, String> s1 = new HashMap<>();
        Map<String, String> s2 = new HashMap<>();
        s1.put(p + ".Dep", "package " + p + ";\npublic class Dep { }");
        s2.put(p + ".Dep", "package " + p + ";\npublic class Dep { }");
        for (String v : new String[] {"1", "2"}) {
            Map<String, String> s = v.equals("1") ? s1 : s2;
            s.put(p + ".Loaded", supplier(p, "Loaded", "", v));
            for (int i = 0; i < 5; i++) {
                s.put(p + ".Opt" + i, supplier(p, "Opt" + i, " extends Dep", v));
                s.put(p + ".Ok" + i, supplier(p, "Ok" + i, "", v));
            }
        }
        GenBuild v1 = GenBuild.compile(s1);
        GenBuild v2 = GenBuild.compile(s2);
        PatchBuilder.Report fix = GenBuild.patch("r28-left-out", v1, v2);
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        Files.delete(v1.classes.resolve(p.replace('.', '/') + "/Dep.class")); // an optional dependency, absent here
        R28Support.ParallelLoader loader = new R28Support.ParallelLoader("left", v1.classes, p, getClass().getClassLoader());
        // The first deferred class in the patch's order is slow to load: the other thread works on meanwhile.
        loader.slow.add(fix.patch().classes().stream().map(c -> c.name()).filter(n -> !n.endsWith(".Loaded")).findFirst()
            .orElseThrow());
        assertEquals("Loaded v1", R28Pair.call(loader, p + ".Loaded"));

        List<String> expected = new ArrayList<>();
        fix.patch().classes().forEach(c -> {
            if (c.name().contains(".Opt")) {
                expected.add(c.name());
            }
        });
        ApplyResult applied = apply(fix.patch());
        System.out.println("r28: defined by " + R28Support.DEFINED_BY + "; left out " + applied.leftOut());
        // Since review28, the request's thread loads the deferred classes alone (ApplyWorkers).
        assertTrue(R28Support.DEFINERS.contains("r28-lp4j-request")
            && R28Support.DEFINERS.stream().noneMatch(t -> t.startsWith("livepatch4j-apply-loading")),
            "the request's thread loaded: " + R28Support.DEFINERS);
        List<String> names = applied.leftOut().stream().map(e -> e.substring(0, e.indexOf(' '))).toList();
        assertEquals(expected, names, "left out in the patch's order: " + applied.leftOut());
        applied.leftOut().forEach(e -> assertTrue(e.contains("cannot be loaded here: java.lang.NoClassDefFoundError"), e));
        for (int i = 0; i < 5; i++) {
            assertNull(System.getProperty(p + ".Ok" + i + ".initialized"), "loading ran no static initializer");
            assertNull(System.getProperty(p + ".Opt" + i + ".initialized"), "loading ran no static initializer");
        }
        noHelperLeft();
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes");
        for (int i = 0; i < 5; i++) {
            assertEquals("Ok" + i + " v2", R28Pair.call(loader, p + ".Ok" + i));
        }
    }

    @Test
    void aClassDefinedFromAnotherCopyRefusesThePatchWithEveryProblemInOrderAndChangesNothing() throws Exception {
        String p = "io.livepatch4j.it.gen.r28subst";
        Map<Integer, GenBuild> builds = new HashMap<>();
        for (int v = 0; v <= 2; v++) {
            Map<String, String> s = new HashMap<>();
            s.put(p + ".Loaded", supplier(p, "Loaded", "", "" + v));
            for (int i = 0; i < 10; i++) {
                s.put(p + ".C" + i, supplier(p, "C" + i, "", "" + v));
            }
            builds.put(v, GenBuild.compile(s));
        }
        PatchBuilder.Report fix = GenBuild.patch("r28-subst", builds.get(1), builds.get(2));
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        R28Support.ParallelLoader loader = new R28Support.ParallelLoader("subst", builds.get(1).classes, p,
            getClass().getClassLoader());
        // It lists the patch's base among its resources, but defines these two from another build.
        loader.substitute.put(p + ".C3", builds.get(0).bytes.get(p + ".C3"));
        loader.substitute.put(p + ".C7", builds.get(0).bytes.get(p + ".C7"));
        loader.slow.add(fix.patch().classes().stream().map(c -> c.name()).filter(n -> !n.endsWith(".Loaded")).findFirst()
            .orElseThrow());
        assertEquals("Loaded v1", R28Pair.call(loader, p + ".Loaded"));
        long before = LivePatch.currentGeneration();

        List<String> expected = new ArrayList<>();
        fix.patch().classes().forEach(c -> {
            if (c.name().endsWith(".C3") || c.name().endsWith(".C7")) {
                expected.add(c.name());
            }
        });
        CompletableFuture<ApplyResult> f = R28Support.applySharing(fix.patch(), "r28-lp4j-request");
        try {
            f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            fail("the patch is refused");
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof PatchException, String.valueOf(e.getCause()));
            String m = e.getCause().getMessage();
            System.out.println("r28: defined by " + R28Support.DEFINED_BY + "; refused: " + m);
            int first = m.indexOf(expected.get(0) + ": the class loaded now is not the class file");
            int second = m.indexOf(expected.get(1) + ": the class loaded now is not the class file");
            assertTrue(first >= 0 && second > first, "both, in the patch's order " + expected + ": " + m);
            assertTrue(m.contains("the classes it loaded stay loaded, unpatched and unused"), m);
        }
        // Since review28, the request's thread loads the deferred classes alone (ApplyWorkers).
        assertTrue(R28Support.DEFINERS.contains("r28-lp4j-request")
            && R28Support.DEFINERS.stream().noneMatch(t -> t.startsWith("livepatch4j-apply-loading")),
            "the request's thread loaded: " + R28Support.DEFINERS);
        noHelperLeft();
        assertEquals(before, LivePatch.currentGeneration(), "no generation");
        for (int i = 0; i < 10; i++) {
            assertEquals("C" + i + " v" + (i == 3 || i == 7 ? 0 : 1), R28Pair.call(loader, p + ".C" + i), "unpatched");
        }
        assertEquals("Loaded v1", R28Pair.call(loader, p + ".Loaded"));
    }

    /**
     * Sub and Super through a correct parallel-capable child-first loader: on two threads at once
     * before review28's fix, on the request's thread now.
     */
    @Test
    void aDeferredSubclassAndSuperclassLoadOnTwoThreadsThroughACorrectLoader() throws Exception {
        String p = "io.livepatch4j.it.gen.r28race";
        GenBuild v1 = R28Pair.build(p, 1);
        PatchBuilder.Report fix = GenBuild.patch("r28-correct-pair", v1, R28Pair.build(p, 2));
        assertNotNull(fix.patch(), "the builder makes the patch: " + fix.refusals());
        R28Support.ParallelLoader loader = new R28Support.ParallelLoader("correct", v1.classes, p, getClass().getClassLoader());
        loader.slow.add(p + ".Super");
        assertEquals("Loaded v1", R28Pair.call(loader, p + ".Loaded"));
        ApplyResult applied = apply(fix.patch());
        System.out.println("r28: defined by " + R28Support.DEFINED_BY + "; left out " + applied.leftOut());
        assertEquals(List.of(), applied.leftOut());
        noHelperLeft();
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes");
        assertEquals("Sub v2", R28Pair.call(loader, p + ".Sub"));
        assertEquals("Super v2", R28Pair.call(loader, p + ".Super"));
        for (String n : new String[] {"Sub", "Super", "Filler0"}) {
            assertEquals(loader, Class.forName(p + "." + n, false, loader).getClassLoader(), n + " is the child's");
        }
    }
}
