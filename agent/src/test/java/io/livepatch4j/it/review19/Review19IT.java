package io.livepatch4j.it.review19;

import io.livepatch4j.agent.bootstrap.DispatchSite;
import io.livepatch4j.agent.bootstrap.PatchableClass;
import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Status;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Rv19Pool;
import io.livepatch4j.it.review.app.Rv19Work;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** review19: sites after completion, refusal order, a late refusal whose callback started work. */
@ExtendWith(BackToLoadedCode.class)
class Review19IT {

    private static final String W = "io.livepatch4j.it.review.app.Rv19Work";

    private static String work(String ctor, String version, String priv, String sup) {
        return """
            package io.livepatch4j.it.review.app;
            import java.util.function.Supplier;
            public class Rv19Work {
                private final String made;
                public Rv19Work() { made = "%s"; }
                public static String version() { return "%s"; }
                public String all() { return version() + "/" + priv() + "/" + made + "/" + sup().get(); }
                private String priv() { return %s; }
                public Supplier<String> sup() { %s }
                static String extra() { return "x"; }
            }
            """.formatted(ctor, version, priv, sup);
    }

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    private String seen() throws Exception {
        String unit = pool.submit(() -> new Rv19Work().all()).get();
        String[] plain = new String[1];
        Thread t = new Thread(() -> plain[0] = new Rv19Work().all());
        t.start();
        t.join();
        assertEquals(unit, plain[0], "a unit and a plain thread agree");
        return unit;
    }

    /** Every site of Rv19Work: its mode; lambda bridge sites too, by their field. */
    private static List<String> modes() throws Exception {
        List<String> out = new ArrayList<>();
        java.lang.reflect.Field wc = DispatchSite.class.getDeclaredField("withCreator");
        wc.setAccessible(true);
        for (DispatchSite s : PatchableClass.of(Rv19Work.class).sites()) {
            out.add(s.name() + s.descriptor() + "=" + s.mode() + (wc.get(s) == null ? "" : "+bridge"));
        }
        return out;
    }

    private static void assertAllDirect(String when) throws Exception {
        for (String m : modes()) {
            assertTrue(m.contains("=DIRECT"), when + ": " + modes());
        }
    }

    private static void await() throws Exception {
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
    }

    @Test
    void everySiteIsDirectAfterEachCompletionAndRunsItsGeneration() throws Exception {
        try {
            assertEquals("v1/p1/c1/s1", seen());
            Patch a = TestPatches.build("rv19-a", Map.of(W, work("c2", "v2", "\"p2\" + extra()",
                "String k = \"s2\"; return () -> k;")));
            ApplyResult ga = LivePatch.apply(a, Strategy.LOCAL);
            await();
            assertEquals("v2/p2x/c2/s2", seen());
            Supplier<String> byA = pool.submit(() -> new Rv19Work().sup()).get();
            assertEquals("s2", byA.get());
            assertAllDirect("after A");
            System.out.println("review19 modes after A: " + modes());

            Patch b = TestPatches.buildOn(a, "rv19-b", Map.of(W, work("c3", "v3", "\"p3\" + extra()",
                "String k = \"s3\"; return () -> k + \"!\";")));
            LivePatch.apply(b, Strategy.LOCAL);
            await();
            assertEquals("v3/p3x/c3/s3!", seen());
            assertEquals("s2!", pool.submit(byA::get).get(), "same creation site: B's body in B");
            assertAllDirect("after B");

            LivePatch.rollback(ga.generation(), Strategy.LOCAL);
            await();
            assertEquals("v2/p2x/c2/s2", seen());
            assertAllDirect("after rollback to A");

            Patch d = TestPatches.build("rv19-d", Map.of(W, work("c1", "v4", "\"p1\"", "return () -> \"s1\";")))
                .withCumulative(true, List.of());
            LivePatch.apply(d, Strategy.LOCAL);
            await();
            assertEquals("v4/p1/c1/s1", seen());
            assertEquals("s2", pool.submit(byA::get).get(), "A's lambda keeps its body");
            assertAllDirect("after cumulative D");
            System.out.println("review19 modes after D: " + modes());

            LivePatch.rollback(0, Strategy.LOCAL);
            await();
            assertEquals("v1/p1/c1/s1", seen());
            assertEquals("s2", pool.submit(byA::get).get(), "A's lambda keeps its body");
        } finally {
            pool.shutdownNow();
        }
    }

    private static ClassPatch only(Patch p) {
        assertEquals(1, p.classes().size(), p.classes().toString());
        return p.classes().get(0);
    }

    /** Problems of both kinds in one patch: listed class by class in the patch's order, the same every time. */
    @Test
    void refusalListsEachClassTogetherInThePatchsOrder() throws Exception {
        ClassPatch label = only(TestPatches.build("rv19-label", Map.of("io.livepatch4j.it.app.Label",
            "package io.livepatch4j.it.app; public record Label(String text) { public Label { text = text.trim().toLowerCase(); } }")));
        ClassPatch tally = only(TestPatches.build("rv19-tally", Map.of("io.livepatch4j.it.app.Tally",
            "package io.livepatch4j.it.app; public class Tally { public static String version() { return \"v9\"; }"
                + " public static String mode() { return \"none\"; } }")));
        ClassPatch tallyOther = new ClassPatch(tally.name(), "0".repeat(64), tally.targetBytes(), tally.changes());
        String restaticked = TestPatches.source("Greeter.java")
            .replace("private final String name;", "private static String name;")
            .replace("this.name = name;", "Greeter.name = name;");
        ClassPatch greeter = only(TestPatches.build("rv19-greeter", Map.of("io.livepatch4j.it.app.Greeter", restaticked)));
        for (List<ClassPatch> order : List.of(List.of(label, tallyOther, greeter), List.of(greeter, tallyOther, label))) {
            Patch p = new Patch("rv19-order", "tests", "now", null, order, List.of(), null);
            String first = null;
            for (int i = 0; i < 4; i++) {
                PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(p, Strategy.LOCAL));
                String m = e.getMessage();
                if (first == null) {
                    first = m;
                    System.out.println("review19 refusal: " + m);
                }
                assertEquals(first, m, "the same refusal every time");
                int prev = -1;
                for (ClassPatch c : order) {
                    int at = m.indexOf(c.name() + (c == tallyOther ? ":" : "#"));
                    assertTrue(at > prev, "class " + c.name() + " in the patch's order: " + m);
                    prev = at;
                }
            }
        }
        assertEquals(0, LivePatch.currentGeneration());
    }

    private static String hooks(String name, String version) {
        return """
            package io.livepatch4j.it.review.app;
            import io.livepatch4j.quiescence.PatchCallback;
            public class %s {
                @PatchCallback(PatchCallback.Phase.PRE_APPLY)
                static void preApply() {
                    Rv19Pool.SEEN.add("pre-apply saw " + Rv19Work.version());
                    Rv19Pool.POOL.submit(() -> {
                        try {
                            Rv19Pool.gate.await();
                            Rv19Pool.SEEN.add("carried task saw " + Rv19Work.version());
                            Rv19Pool.gate2.await();
                            Rv19Pool.SEEN.add("then the same task saw " + Rv19Work.version());
                        } catch (Throwable t) {
                            Rv19Pool.SEEN.add("carried task threw " + t);
                        }
                    });
                    %s
                }
            }
            """.formatted(name, version);
    }

    /**
     * A pre-apply callback submits work (it carries the target generation, as any submission from a
     * unit does), then vetoes. The carried unit runs the vetoed patch's code, twice, with nothing
     * published; applies are refused until it has ended, and the vetoed patch is undone only then. One
     * unit, one generation, the right code, no failure: that is the promise. (Before the refusal waited
     * for such work, the refusal released the code under it: its next call ran the code as loaded, or
     * threw "released while a unit of work still runs it" in the next apply's transition.)
     */
    @Test
    void workStartedByAVetoingCallbackThenAGoodApply() throws Exception {
        vetoThenGoodApply("rv19-veto", "Rv19Veto", true);
    }

    /** The same without a unit of G0 holding the good patch's transition. */
    @Test
    void workStartedByAVetoingCallbackSeesTwoGenerations() throws Exception {
        vetoThenGoodApply("rv19-veto2", "Rv19Veto2", false);
    }

    private void vetoThenGoodApply(String id, String hooksName, boolean holdTransition) throws Exception {
        Rv19Pool.gate = new CountDownLatch(1);
        Rv19Pool.gate2 = new CountDownLatch(1);
        Rv19Pool.SEEN.clear();
        long before = LivePatch.currentGeneration();
        String was = pool.submit(() -> new Rv19Work().all()).get();
        Patch vetoed = TestPatches.buildLikeLp4j(id, Map.of(W, work("c1", "vVETO", "\"p1\"",
            "return () -> \"s1\";"), "io.livepatch4j.it.review.app." + hooksName,
            hooks(hooksName, "if (true) throw new IllegalStateException(\"veto\");")));
        PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(vetoed, Strategy.LOCAL));
        System.out.println("review19 veto: " + e.getMessage());
        assertEquals(before, LivePatch.currentGeneration());
        assertEquals(was, pool.submit(() -> new Rv19Work().all()).get(), "a new unit runs the code it ran before");
        Rv19Pool.gate.countDown();
        Patch good = TestPatches.build(id + "-good", Map.of(W, work("c2", "v2", "\"p2\"", "return () -> \"s1\";")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Rv19Pool.SEEN.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        PatchException refused = assertThrows(PatchException.class, () -> LivePatch.apply(good, Strategy.LOCAL),
            "an apply waits for the vetoed patch's work as for a running transition");
        assertTrue(refused.getMessage().contains("still runs its code"), refused.getMessage());
        assertEquals(before, LivePatch.currentGeneration());
        Rv19Pool.gate2.countDown();
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the vetoed patch is undone once its work ended");
        assertEquals(was, pool.submit(() -> new Rv19Work().all()).get(), "undone: the code as before");
        CountDownLatch hold = new CountDownLatch(1);
        if (holdTransition) {
            pool.submit(() -> { hold.await(); return null; }); // a unit of G0 holds the next transition
        }
        LivePatch.apply(good, Strategy.LOCAL);
        hold.countDown();
        await();
        System.out.println("review19 seen: " + Rv19Pool.SEEN);
        assertEquals("v2/p2/c2/s1", pool.submit(() -> new Rv19Work().all()).get());
        assertEquals(List.of("pre-apply saw vVETO", "carried task saw vVETO", "then the same task saw vVETO"),
            List.copyOf(Rv19Pool.SEEN), "the callback and the work it handed on ran the vetoed patch's code, once each");
        pool.shutdownNow();
    }
}
