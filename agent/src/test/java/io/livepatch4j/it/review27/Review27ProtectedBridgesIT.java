package io.livepatch4j.it.review27;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.r27.R27Kid;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review 27, item 2 (DeclaredMembers.access finds a member with getDeclaredMethod/Field by name and
 * types, scanning only where a bridge or a same-named field hides it): patched code in a subclass in
 * another package than the protected members it uses, where the superclass has covariant overrides
 * with their bridges, a field that hides the base's field of another type, overloads (instance and
 * static) of one name, a generic method, an interface's default method, and lambdas and method
 * references to them. Each must reach the member javac chose, through the protected-access rewrite,
 * in a unit of work (no IllegalAccessError, no other overload).
 */
@ExtendWith(BackToLoadedCode.class)
class Review27ProtectedBridgesIT {

    private static final String EXPECTED = "mid-value|mid-make|mid-n|7|base-sx|mid-sx3|mid-over-str|base-over-obj"
        + "|iface-default|base-generic:g|mid-value|mid-make|mid-make|mid-value";

    private static Patch patch() {
        return TestPatches.build("r27-protected", Map.of("io.livepatch4j.it.review.app.r27.R27Kid", """
            package io.livepatch4j.it.review.app.r27;

            import io.livepatch4j.it.review27.base.R27Iface;
            import io.livepatch4j.it.review27.base.R27Mid;
            import java.util.function.Supplier;

            public class R27Kid extends R27Mid implements R27Iface {

                public String show() {
                    Supplier<String> lambda = () -> value();
                    Supplier<String> ref = this::make;
                    Supplier<Object> superRef = super::make;
                    return value() + "|" + make() + "|" + n + "|" + baseN() + "|" + sx() + "|" + sx(3)
                        + "|" + over("s") + "|" + over((Object) "o") + "|" + dflt() + "|" + generic("g")
                        + "|" + lambda.get() + "|" + ref.get() + "|" + superRef.get() + "|" + super.value();
                }
            }
            """));
    }

    @Test
    void protectedMembersBehindBridgesHiddenFieldsAndOverloadsLinkToJavacsChoice() throws Exception {
        R27Kid kid = new R27Kid();
        assertEquals("v1", kid.show());
        LivePatch.apply(patch(), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            assertEquals(EXPECTED, pool.submit(kid::show).get(), "in a unit of work of the patch's generation");
            assertEquals(EXPECTED, kid.show(), "outside every unit, once the transition completed");
        } finally {
            pool.shutdownNow();
        }
    }
}
