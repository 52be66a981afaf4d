package io.livepatch4j.it.review13;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.R13Caller;
import io.livepatch4j.it.review.app.R13Kid;
import io.livepatch4j.it.review.app.R13Log;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of issue 13: a vetoed patch's aborted generation has the number the next patch gets
 * (G6 -> G7 refused, then G6 -> G7 applied), and VirtualCalls caches its resolution per receiver
 * class by generation number: what the aborted generation resolved (an override its patch added to
 * a subclass) is what the next patch's code calls.
 */
@ExtendWith(BackToLoadedCode.class)
class GenerationNumberReuseIT {

    static final String P = "io.livepatch4j.it.review.app.";

    static final String CALLER = """
        package io.livepatch4j.it.review.app;

        public class R13Caller {
            public static String call(R13Base b) {
                return "v2 " + b.m();
            }
        }
        """;

    static String base(String m) {
        return """
            package io.livepatch4j.it.review.app;

            public class R13Base {
                public String who() {
                    return "base";
                }

                public String m() {
                    return "%s";
                }
            }
            """.formatted(m);
    }

    static final String KID_WITH_M = """
        package io.livepatch4j.it.review.app;

        public class R13Kid extends R13Base {
            public String who() {
                return "kid";
            }

            public String m() {
                return "kid-m";
            }
        }
        """;

    static final String KID_PLAIN = """
        package io.livepatch4j.it.review.app;

        public class R13Kid extends R13Base {
            public String who() {
                return "kid!";
            }
        }
        """;

    @Test
    @Timeout(60)
    void theNextPatchRunsWhatTheVetoedGenerationResolved() throws Exception {
        // Hosts for the three classes exist (a patch applied and rolled back), so versions are reused.
        Map<String, String> p0 = new HashMap<>();
        p0.put(P + "R13Caller", CALLER);
        p0.put(P + "R13Base", base("base-m0"));
        p0.put(P + "R13Kid", KID_PLAIN);
        LivePatch.apply(TestPatches.build("r13-gen-p0", p0), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        System.out.println("[review13] p0: " + Quiescence.call(() -> R13Caller.call(new R13Kid())));
        LivePatch.rollback(0, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));

        String hooks = """
            package io.livepatch4j.it.review.app;

            import io.livepatch4j.quiescence.PatchCallback;

            public class R13GenHooks {
                @PatchCallback(PatchCallback.Phase.PRE_APPLY)
                static void pre() {
                    R13Log.EVENTS.add("vetoed generation ran: " + R13Caller.call(new R13Kid()));
                    throw new IllegalStateException("veto");
                }
            }
            """;
        Map<String, String> p1 = new HashMap<>();
        p1.put(P + "R13Caller", CALLER);
        p1.put(P + "R13Base", base("base-m1"));
        p1.put(P + "R13Kid", KID_WITH_M);
        p1.put(P + "R13GenHooks", hooks);
        Patch vetoed = TestPatches.buildLikeLp4j("r13-gen-p1", p1);
        long before = LivePatch.currentGeneration();
        PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(vetoed, Strategy.LOCAL));
        System.out.println("[review13] vetoed in G" + before + "+1: " + e.getMessage().lines().findFirst().orElse("")
            + "\n  " + R13Log.EVENTS);

        Map<String, String> p2 = new HashMap<>();
        p2.put(P + "R13Caller", CALLER);
        p2.put(P + "R13Base", base("base-m2"));
        p2.put(P + "R13Kid", KID_PLAIN);
        Patch next = TestPatches.build("r13-gen-p2", p2);
        var r = LivePatch.apply(next, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        System.out.println("[review13] applied " + r);
        String got;
        try {
            got = Quiescence.call(() -> R13Caller.call(new R13Kid()));
        } catch (Throwable t) {
            got = "threw " + t;
        }
        System.out.println("[review13] next patch, same generation number: " + got);
        assertEquals("v2 base-m2", got, "the kid has no m() in this generation: Base's added m() runs");
    }
}
