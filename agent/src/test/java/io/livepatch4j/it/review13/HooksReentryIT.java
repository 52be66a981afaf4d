package io.livepatch4j.it.review13;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.R13Log;
import io.livepatch4j.it.review.app.R13Tally;
import io.livepatch4j.it.review.app.R13Tally2;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Review of issue 13, promise 2: callbacks and state transformers. */
@ExtendWith(BackToLoadedCode.class)
class HooksReentryIT {

    static final String P = "io.livepatch4j.it.review.app.";

    static String tally(String cls, String v) {
        return """
            package io.livepatch4j.it.review.app;

            public class %s {
                public static String version() {
                    return "%s";
                }
            }
            """.formatted(cls, v);
    }

    /** A patch of R13Tally (v2) whose hooks class (named per id) has a PRE_APPLY with {@code pre} and a POST_APPLY / PRE_ROLLBACK logging. */
    static Patch patch(String id, String pre) {
        String name = "R13Hooks_" + id.replace("-", "_");
        String hooks = """
            package io.livepatch4j.it.review.app;

            import io.livepatch4j.quiescence.PatchCallback;

            public class %s {
                @PatchCallback(PatchCallback.Phase.PRE_APPLY)
                static void pre() throws Exception {
                    R13Log.EVENTS.add("pre-apply %s " + R13Tally.version());
                    %s
                }

                @PatchCallback(PatchCallback.Phase.POST_APPLY)
                static void post() {
                    R13Log.EVENTS.add("post-apply %s " + R13Tally.version());
                }

                @PatchCallback(PatchCallback.Phase.PRE_ROLLBACK)
                static void preRollback() {
                    R13Log.EVENTS.add("pre-rollback %s " + R13Tally.version());
                }

                @PatchCallback(PatchCallback.Phase.POST_ROLLBACK)
                static void postRollback() {
                    R13Log.EVENTS.add("post-rollback %s " + R13Tally.version());
                }
            }
            """.formatted(name, id, pre, id, id, id);
        return TestPatches.buildLikeLp4j(id, Map.of(P + "R13Tally", tally("R13Tally", "v2"), P + name, hooks));
    }

    /** The patch a hook applies: R13Tally2 v2, no hooks, stacked. */
    public static volatile Patch inner;

    @BeforeEach
    void clear() throws Exception {
        assertTrue(LivePatch.awaitCallbacks(Duration.ofSeconds(10)));
        R13Log.EVENTS.clear();
        R13Log.failure = null;
        R13Log.result = null;
        R13Log.payload = null;
    }

    static String both() {
        try {
            return Quiescence.call(() -> R13Tally.version() + "/" + R13Tally2.version());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void dump(String what) {
        System.out.println("[review13] " + what + ": gen=" + LivePatch.currentGeneration() + " code=" + both()
            + " events=" + R13Log.EVENTS + " hookResult=" + R13Log.result + " hookFailure=" + R13Log.failure
            + "\n  status=" + io.livepatch4j.agent.tooling.StatusJson.of(LivePatch.status()));
    }

    /** A pre-apply callback that applies another patch itself. */
    @Test
    @Timeout(60)
    void aPreApplyCallbackThatAppliesAnotherPatch() throws Exception {
        inner = TestPatches.build("r13-inner", Map.of(P + "R13Tally2", tally("R13Tally2", "v2")));
        R13Log.payload = inner;
        Patch outer = patch("r13-reenter-apply",
            "try { R13Log.result = io.livepatch4j.agent.tooling.LivePatch.apply((io.livepatch4j.patch.Patch) R13Log.payload,"
                + " io.livepatch4j.agent.tooling.Strategy.LOCAL); } catch (Throwable e) { R13Log.failure = e; }");
        try {
            Object r = LivePatch.apply(outer, Strategy.LOCAL);
            System.out.println("[review13] outer apply returned " + r);
        } catch (PatchException e) {
            System.out.println("[review13] outer apply refused: " + e.getMessage());
        }
        LivePatch.awaitTransition(Duration.ofSeconds(10));
        LivePatch.awaitCallbacks(Duration.ofSeconds(10));
        dump("after a pre-apply that applies");
        // Consistency: what status says each class runs must match what the code does.
        String code = both();
        var st = LivePatch.status();
        System.out.println("[review13] history: " + st);
        assertTrue(R13Log.failure != null || code.equals("v2/v2"),
            "the nested apply was accepted but its code does not run: " + code);
    }

    /** A pre-apply callback that rolls back (to G0) while its own patch is being applied. */
    @Test
    @Timeout(60)
    void aPreApplyCallbackThatRollsBack() throws Exception {
        Patch first = TestPatches.build("r13-first", Map.of(P + "R13Tally2", tally("R13Tally2", "v2")));
        LivePatch.apply(first, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        Patch outer = patch("r13-reenter-rollback",
            "try { R13Log.result = io.livepatch4j.agent.tooling.LivePatch.rollback(0,"
                + " io.livepatch4j.agent.tooling.Strategy.LOCAL); } catch (Throwable e) { R13Log.failure = e; }");
        io.livepatch4j.agent.tooling.ApplyResult r = null;
        try {
            r = LivePatch.apply(outer, Strategy.LOCAL);
            System.out.println("[review13] outer apply returned " + r);
        } catch (PatchException e) {
            System.out.println("[review13] outer apply refused: " + e.getMessage());
        }
        LivePatch.awaitTransition(Duration.ofSeconds(10));
        LivePatch.awaitCallbacks(Duration.ofSeconds(10));
        dump("after a pre-apply that rolls back");
        if (r != null) {
            long n = r.generation();
            var rec = LivePatch.status().generations().stream().filter(g -> g.number() == n).toList();
            assertTrue(rec.size() == 1 && rec.get(0).patches().contains("r13-reenter-rollback"),
                "the apply returned success, G" + n + " including the patch, but status's G" + n + " is " + rec
                    + " and the hook's rollback also returned G" + n + ": " + R13Log.result);
        }
        // Now a stacked patch of an unrelated class, on what status calls G2 = "rollback to G0", no patch.
        Patch third = TestPatches.build("r13-third", Map.of(P + "R13Holder", """
            package io.livepatch4j.it.review.app;

            public class R13Holder {
                public String get() {
                    return "third";
                }
            }
            """));
        Object r3 = LivePatch.apply(third, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        dump("after an unrelated stacked patch " + r3);
        // Fixed: the hook's rollback is refused (it would run inside the apply in progress), the apply
        // goes on, and what status says matches what runs.
        assertTrue(R13Log.failure instanceof PatchException && R13Log.failure.getMessage().contains("cannot roll back"),
            "the nested rollback must be refused: " + R13Log.failure + " / " + R13Log.result);
        assertTrue(r != null && r.patches().contains("r13-first") && r.patches().contains("r13-reenter-rollback"),
            "the outer apply went on: " + r);
        assertEquals("v2/v2", both(), "the patches status lists run");
    }

    /** A pre-apply callback that throws StackOverflowError: a veto, and nothing changed. */
    @Test
    @Timeout(60)
    void aPreApplyThatOverflowsTheStack() throws Exception {
        long gen = LivePatch.currentGeneration();
        Patch outer = patch("r13-soe", "pre();");
        PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(outer, Strategy.LOCAL));
        System.out.println("[review13] SOE veto: " + e.getMessage().substring(0, Math.min(300, e.getMessage().length())));
        assertEquals(gen, LivePatch.currentGeneration());
        assertEquals("v1/v1", both());
        Patch oom = patch("r13-oom", "long[] a = new long[Integer.MAX_VALUE - 8]; R13Log.result = a;");
        PatchException e2 = assertThrows(PatchException.class, () -> LivePatch.apply(oom, Strategy.LOCAL));
        System.out.println("[review13] OOM veto: " + e2.getMessage().substring(0, Math.min(300, e2.getMessage().length())));
        assertEquals("v1/v1", both());
        LivePatch.apply(patch("r13-after-errors", ""), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("v2/v1", both());
    }

    /**
     * A transition held by a straggler is reversed before it completes: POST_APPLY must not run,
     * PRE_ROLLBACK and POST_ROLLBACK run, once each.
     */
    @Test
    @Timeout(60)
    void postApplyDoesNotRunWhenTheTransitionIsReversed() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = new Thread(() -> Quiescence.run(() -> {
            while (!stop.get()) {
                R13Tally.version();
                inside.countDown();
            }
        }));
        t.start();
        inside.await();
        LivePatch.apply(patch("r13-reversed", ""), Strategy.LOCAL);
        Thread.sleep(200);
        LivePatch.rollback(-1, Strategy.LOCAL);
        stop.set(true);
        t.join();
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertTrue(LivePatch.awaitCallbacks(Duration.ofSeconds(10)));
        dump("reversed");
        assertEquals(List.of("pre-apply r13-reversed v2", "pre-rollback r13-reversed v2", "post-rollback r13-reversed v1"),
            R13Log.EVENTS);
    }

    /** Rollback of several patches at once: each one's rollback hooks, newest first. */
    @Test
    @Timeout(60)
    void rollbackOfSeveral() throws Exception {
        Patch a = patch("r13-several-a", "");
        LivePatch.apply(a, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        String name = "R13Hooks_b";
        String hooks = """
            package io.livepatch4j.it.review.app;

            import io.livepatch4j.quiescence.PatchCallback;

            public class %s {
                @PatchCallback(PatchCallback.Phase.PRE_ROLLBACK)
                static void preRollback() {
                    R13Log.EVENTS.add("pre-rollback b " + R13Tally.version() + R13Tally2.version());
                }

                @PatchCallback(PatchCallback.Phase.POST_ROLLBACK)
                static void postRollback() {
                    R13Log.EVENTS.add("post-rollback b " + R13Tally.version() + R13Tally2.version());
                }
            }
            """.formatted(name);
        Patch b = TestPatches.buildLikeLp4j("r13-several-b", Map.of(P + "R13Tally2", tally("R13Tally2", "v2"), P + name, hooks),
            List.of(), List.of());
        LivePatch.apply(b, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertTrue(LivePatch.awaitCallbacks(Duration.ofSeconds(10)));
        dump("two live");
        R13Log.EVENTS.clear();
        LivePatch.rollback(0, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertTrue(LivePatch.awaitCallbacks(Duration.ofSeconds(10)));
        dump("rolled back both");
        System.out.println("[review13] several: " + R13Log.EVENTS);
    }
}
