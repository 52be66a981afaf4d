package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Lam;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DESIGN.md: lambdas "are identified by their creation site"; docs/agent.md: a lambda object "runs, in
 * each unit of work, the calling generation's body of its lambda". The fix swaps the bodies of two
 * lambdas of the same kind (v1 had them the wrong way round). The enclosing method's code is the same
 * in both versions, so the sites pair by position (issue 11): the old onSuccess object runs the fixed
 * onSuccess body, as an onSuccess object of the new build would.
 */
class LambdaBodiesSwappedIT {

    @Test
    @Timeout(60)
    void anOldCallbackRunsItsSitesNewBody() throws Exception {
        List<Supplier<String>> old = Lam.callbacks(); // registered by G0 code
        Patch fix = TestPatches.build("review-lam", Map.of("io.livepatch4j.it.review.app.Lam",
            "package io.livepatch4j.it.review.app;\nimport java.util.List;\nimport java.util.function.Supplier;\n"
            + "public class Lam {\n public static List<Supplier<String>> callbacks() {\n"
            + "  Supplier<String> onSuccess = () -> \"ok\";\n  Supplier<String> onFailure = () -> \"FAILED\";\n"
            + "  return List.of(onSuccess, onFailure);\n }\n}\n"));
        LivePatch.apply(fix, Strategy.LOCAL);
        LivePatch.awaitTransition(Duration.ofSeconds(5));
        String seen = Quiescence.call(() -> {
            List<Supplier<String>> fresh = Lam.callbacks();
            return "old onSuccess=" + old.get(0).get() + " old onFailure=" + old.get(1).get()
                + " | new onSuccess=" + fresh.get(0).get() + " new onFailure=" + fresh.get(1).get();
        });
        System.out.println("[review] swapped lambda bodies, in a G1 unit: " + seen);
        assertEquals("old onSuccess=ok old onFailure=FAILED | new onSuccess=ok new onFailure=FAILED", seen);
    }
}
