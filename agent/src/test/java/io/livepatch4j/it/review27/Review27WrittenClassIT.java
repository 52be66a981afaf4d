package io.livepatch4j.it.review27;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.r27.R27Lam;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review 27, item 1 (an implementation class's Dispatch links, private owners and lambda bodies are
 * collected once, by WrittenClass, where it is written): a patch that re-initializes a class whose
 * initializer makes a lambda that uses a nested class's private method (StaticInitRunner's
 * implementation class), adds lambdas and a method reference to a nestmate's private method, and reads
 * a nestmate's private static field. After publication every one must link and run in a unit of work
 * (no BootstrapMethodError or IllegalAccessError), and a lambda the patch added keeps its body after
 * the rollback (its bridge).
 */
@ExtendWith(BackToLoadedCode.class)
class Review27WrittenClassIT {

    private static final String NAME = "io.livepatch4j.it.review.app.r27.R27Lam";

    private static Patch patch() {
        return TestPatches.buildLikeLp4j("r27-lam", Map.of(NAME, """
            package io.livepatch4j.it.review.app.r27;

            import java.util.function.Function;
            import java.util.function.Supplier;

            public class R27Lam {

                public static final Supplier<String> INIT = () -> "init2:" + new Inner().secret();

                private static final class Inner {
                    private static String s = "s";

                    private String secret() {
                        return "secret";
                    }
                }

                public static Supplier<String> make() {
                    Supplier<String> extra = () -> "x";
                    return () -> "m2" + extra.get();
                }

                public static String run() {
                    Function<Inner, String> ref = Inner::secret;
                    String tail = Inner.s;
                    Supplier<String> added = () -> "added:" + tail;
                    return "v2:" + ref.apply(new Inner()) + ":" + added.get();
                }
            }
            """), List.of(NAME + "$Inner"), List.of(NAME));
    }

    @Test
    void linksPrivateGrantsAndLambdaBodiesOfAPatchAllRunAfterPublication() throws Exception {
        Supplier<String> before = R27Lam.make();
        ApplyResult r = LivePatch.apply(patch(), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            assertEquals("v2:secret:added:s", pool.submit(R27Lam::run).get());
            assertEquals("init2:secret", pool.submit(() -> R27Lam.INIT.get()).get(), "the re-initialized state's lambda");
            Supplier<String> made = pool.submit(R27Lam::make).get();
            assertEquals("m2x", pool.submit(made::get).get());
            // An object of the old code runs the body its lambda is paired with (here, by its shape, the
            // new "extra"): whichever it is, it links and runs.
            pool.submit(before::get).get();
            LivePatch.rollback(r.fromGeneration(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
            assertEquals("v1", pool.submit(R27Lam::run).get());
            // The lambda the patch added keeps its body (its bridge); the "extra" it captured runs the G0
            // body it is paired with.
            String after = pool.submit(made::get).get();
            assertTrue(after.startsWith("m2"), "a lambda the patch added keeps its body after the rollback: " + after);
            assertEquals("init1", pool.submit(() -> R27Lam.INIT.get()).get());
            assertEquals("m1", pool.submit(before::get).get(), "the old object in the old code again");
        } finally {
            pool.shutdownNow();
        }
    }
}
