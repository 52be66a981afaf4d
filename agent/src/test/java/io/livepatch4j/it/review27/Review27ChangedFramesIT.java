package io.livepatch4j.it.review27;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Status;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.r27.R27Frames;
import io.livepatch4j.it.review.app.r27.R27StateReader;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review 27, item 3 (ChangedMethods now compares with MethodBodies.sameCode on the apply's workers and
 * caches the answer per pair of versions): a thread parked in a frame of a changed method holds the
 * transition back, in a frame of an unchanged one it does not, through apply, rollback, the same patch
 * applied again (the cached pairs), a patch stacked on it that leaves that method alone and its
 * rollback (the pairs the other way round); and a method whose code is the same but whose static state
 * a re-initialization replaced counts as changed (HostClass.sameStaticState), also on a second apply.
 * The test thread shares the apply's work with helpers as lp4j's request threads do, so the changed
 * methods are computed on ApplyWorkers' threads (ten classes in the transition).
 */
@ExtendWith(BackToLoadedCode.class)
class Review27ChangedFramesIT {

    private static final String PKG = "io.livepatch4j.it.review.app.r27.";

    @BeforeAll
    static void shareWork() throws Exception {
        java.lang.reflect.Method share = Class.forName("io.livepatch4j.agent.tooling.ApplyWorkers")
            .getDeclaredMethod("shareOnThisThread");
        share.setAccessible(true);
        share.invoke(null);
    }

    private static String frames(String changed, String other) {
        return "package io.livepatch4j.it.review.app.r27;\n"
            + "import io.livepatch4j.it.review27.R27Park;\n"
            + "public class R27Frames {\n"
            + "  public static String changed() { String a = R27Side.tag(); R27Park.park(\"changed\"); return \"" + changed
            + ":\" + a + \"/\" + R27Side.tag(); }\n"
            + "  public static String unchanged() { String a = R27Side.tag(); R27Park.park(\"unchanged\"); return \"same:\" + a"
            + " + \"/\" + R27Side.tag(); }\n"
            + "  public static String other() { String a = R27Side.tag(); R27Park.park(\"other\"); return \"" + other
            + ":\" + a + \"/\" + R27Side.tag(); }\n"
            + "}\n";
    }

    private static String side(String tag) {
        return "package io.livepatch4j.it.review.app.r27;\npublic class R27Side {\n public static String tag() { return \""
            + tag + "\"; }\n}\n";
    }

    private static Map<String, String> fillers(String v) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            m.put(PKG + "R27Filler" + i, "package io.livepatch4j.it.review.app.r27;\npublic class R27Filler" + i
                + " {\n public static String f() { return \"" + v + "\"; }\n}\n");
        }
        return m;
    }

    private static Patch patchA() {
        Map<String, String> s = fillers("f2");
        s.put(PKG + "R27Frames", frames("v2", "o1"));
        s.put(PKG + "R27Side", side("s2"));
        return TestPatches.build("r27-frames-a", s);
    }

    /** On top of A: other() and R27Side change, changed() keeps A's code. */
    private static Patch patchB(Patch a) {
        Map<String, String> s = new HashMap<>();
        s.put(PKG + "R27Frames", frames("v2", "o3"));
        s.put(PKG + "R27Side", side("s3"));
        return TestPatches.buildOn(a, "r27-frames-b", s);
    }

    /** A plain thread (no unit of work) that calls {@code call} and parks at {@code point}. */
    private static CompletableFuture<String> parked(String name, String point, Supplier<String> call) throws Exception {
        R27Park.arm(name, point);
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(call.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, name);
        t.start();
        R27Park.awaitArrival(name, point);
        return result;
    }

    private static List<String> remaining() {
        Status.TransitionStatus t = LivePatch.status().transition();
        return t == null || !t.state().equals("running") ? List.of()
            : t.remaining().stream().map(Status.ThreadStatus::name).sorted().toList();
    }

    /**
     * {@code heldName} parked in a method that differs must hold the transition {@code change} starts;
     * {@code freeName} parked in one that does not must not. Returns the held thread's answer.
     */
    private static String holdsOnlyTheChangedFrame(String heldName, String heldPoint, Supplier<String> held,
                                                   String freeName, String freePoint, Supplier<String> free,
                                                   java.util.concurrent.Callable<?> change) throws Exception {
        CompletableFuture<String> h = parked(heldName, heldPoint, held);
        CompletableFuture<String> f = parked(freeName, freePoint, free);
        change.call();
        Thread.sleep(400);
        assertEquals(List.of(heldName), remaining(), "only the thread in a changed method's frame holds the transition");
        assertFalse(LivePatch.awaitTransition(Duration.ofMillis(100)), "held while " + heldName + " is parked");
        R27Park.release(heldName, heldPoint);
        String answer = h.get();
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)),
            "the transition completes with " + freeName + " still parked in an unchanged method");
        R27Park.release(freeName, freePoint);
        f.get();
        return answer;
    }

    @Test
    void changedFramesHoldThroughApplyRollbackReapplyAndAStackedPatch() throws Exception {
        Patch a = patchA();
        Patch b = patchB(a);
        ApplyResult[] applied = new ApplyResult[1];

        // G0 -> A: changed() differs, unchanged() does not.
        assertEquals("v1:s1/s1", holdsOnlyTheChangedFrame("r27-t1", "changed", R27Frames::changed,
            "r27-t2", "unchanged", R27Frames::unchanged, () -> applied[0] = LivePatch.apply(a, Strategy.LOCAL)));
        long g0 = applied[0].fromGeneration();

        // A -> G0 (rollback): the pair the other way round.
        assertEquals("v2:s2/s2", holdsOnlyTheChangedFrame("r27-t3", "changed", R27Frames::changed,
            "r27-t4", "unchanged", R27Frames::unchanged, () -> LivePatch.rollback(g0, Strategy.LOCAL)));

        // G0 -> A again: the versions are reused, so is the answer cached for that pair.
        assertEquals("v1:s1/s1", holdsOnlyTheChangedFrame("r27-t5", "changed", R27Frames::changed,
            "r27-t6", "unchanged", R27Frames::unchanged, () -> applied[0] = LivePatch.apply(a, Strategy.LOCAL)));
        long ga = applied[0].generation();

        // A -> A+B: changed() keeps its code (A's), other() changes.
        assertEquals("o1:s2/s2", holdsOnlyTheChangedFrame("r27-t7", "other", R27Frames::other,
            "r27-t8", "changed", R27Frames::changed, () -> LivePatch.apply(b, Strategy.LOCAL)));

        // A+B -> A (rollback to A's generation).
        assertEquals("o3:s3/s3", holdsOnlyTheChangedFrame("r27-t9", "other", R27Frames::other,
            "r27-t10", "changed", R27Frames::changed, () -> LivePatch.rollback(ga, Strategy.LOCAL)));
        assertEquals("v2:s2/s2", R27Frames.changed());
    }

    private static Patch reinit(String id) {
        return TestPatches.buildLikeLp4j(id, Map.of(PKG + "R27StateSrc",
                "package io.livepatch4j.it.review.app.r27;\npublic class R27StateSrc {\n static String src() { return \"a2\"; }\n}\n"),
            List.of(PKG + "R27State", PKG + "R27StateReader"), List.of(PKG + "R27State"));
    }

    @Test
    void sameCodeOverOtherStaticStateHoldsTheFrameOnEveryApply() throws Exception {
        for (int round = 0; round < 2; round++) {
            Patch p = reinit("r27-reinit-" + round);
            ApplyResult[] applied = new ApplyResult[1];
            String name = "r27-reader-" + round;
            assertEquals("a1:a1/a1:a1", holdsOnlyTheChangedFrame(name, "read", R27StateReader::read,
                    "r27-free-" + round, "unchanged", R27Frames::unchanged,
                    () -> applied[0] = LivePatch.apply(p, Strategy.LOCAL)),
                "a frame of the same code over the loaded static state holds the transition (round " + round + ")");
            assertEquals("a2:a2/a2:a2", R27StateReader.read(), "round " + round);
            LivePatch.rollback(applied[0].fromGeneration(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
            assertEquals("a1:a1/a1:a1", R27StateReader.read(), "round " + round);
        }
    }
}
