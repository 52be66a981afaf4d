package io.livepatch4j.it.review13;

import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.agent.bootstrap.Generations;
import io.livepatch4j.agent.bootstrap.PatchableClass;
import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.R13Holder;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of issue 13, promise 4 (retired generations kept alive): a shadow field (kept after the
 * rollback, per the docs) holds an object the patch's code made; the retired implementation class
 * is unloaded once the rollback retired it. A lambda the patch's code made is the documented
 * exception (docs/agent.md, "Retirement"): it runs its creating version's body, so it keeps that
 * implementation class loaded while it lives; the review's reproduction of that stays as the
 * second test, asserting that documented behaviour.
 */
@ExtendWith(BackToLoadedCode.class)
class RetiredCodeHeldByShadowValueIT {

    static final String V2 = """
        package io.livepatch4j.it.review.app;

        import java.util.function.Supplier;

        public class R13Holder {
            Supplier<String> s = () -> "lambda of v2";

            public String get() {
                return s.get();
            }
        }
        """;

    static final String CONTROL = """
        package io.livepatch4j.it.review.app;

        public class R13Holder {
            StringBuilder s = new StringBuilder("no lambda");

            public String get() {
                return s.toString();
            }
        }
        """;

    /** Control: the same with a plain object in the shadow field. */
    @Test
    @Timeout(60)
    void control() throws Exception {
        run("r13-leak-control", CONTROL);
    }

    @Test
    @Timeout(60)
    void aLambdaInAShadowFieldKeepsTheRetiredCodeAliveWhileTheLambdaLives() throws Exception {
        run("r13-leak", V2, false);
    }

    void run(String id, String source) throws Exception {
        run(id, source, true);
    }

    void run(String id, String source, boolean unloaded) throws Exception {
        R13Holder h = new R13Holder();
        ApplyResult applied = LivePatch.apply(TestPatches.build(id, Map.of("io.livepatch4j.it.review.app.R13Holder", source)),
            Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        System.out.println("[review13] patched: " + Quiescence.call(h::get));
        PatchableClass pc = PatchableClass.of(R13Holder.class);
        ClassVersion v = Generations.current().version(pc.index());
        WeakReference<Class<?>> impl = new WeakReference<>(v.implClass());
        v = null;
        LivePatch.rollback(applied.fromGeneration(), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        System.out.println("[review13] rolled back: " + Quiescence.call(h::get));
        for (int i = 0; i < 50 && impl.get() != null; i++) {
            System.gc();
            Thread.sleep(50);
        }
        System.out.println("[review13] retired impl class after GC: " + impl.get());
        if (unloaded) {
            assertNull(impl.get(), "the retired implementation class stays loaded while the object lives");
        } else {
            assertTrue(impl.get() != null, "a lambda of the retired version keeps its implementation class (documented)");
        }
        System.out.println("[review13] holder still alive: " + h);
    }
}
