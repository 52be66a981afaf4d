package io.livepatch4j.it.review13;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.R13Defaults;
import io.livepatch4j.it.review.app.R13Src;
import io.livepatch4j.it.review.app.R13SubReader;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Review of issue 13, promise 1: re-initialized classes. */
@ExtendWith(BackToLoadedCode.class)
class ReinitReadersIT {

    static final String P = "io.livepatch4j.it.review.app.";

    static {
        R13Defaults.get(); // initialized as loaded, before any patch
        R13SubReader.read();
    }

    static String src(String made, String probe) {
        return """
            package io.livepatch4j.it.review.app;

            import java.util.ArrayList;
            import java.util.List;

            public class R13Src {
                public static List<String> make() {
                    return new ArrayList<>(List.of("%s"));
                }

                public static String probe() {
                    return %s;
                }
            }
            """.formatted(made, probe);
    }

    /**
     * A reader that names the field through a subclass (R13Sub.LIST, as javac compiles an inherited
     * static field reached through the subclass's name) is not brought along by the builder, so the new
     * generation's unit of work sees the fresh state from R13Defaults and the old state from R13SubReader.
     */
    @Test
    @Timeout(60)
    void aReaderThroughASubclassNameSeesTheOldStateInTheNewGeneration() throws Exception {
        assertEquals("defaults [old] / sub [old]", Quiescence.call(() -> R13Defaults.get() + " / " + R13SubReader.read()));
        Patch p = TestPatches.buildLikeLp4j("r13-sub", Map.of(P + "R13Src", src("new", "\"none\"")),
            List.of(P + "R13Defaults", P + "R13Sub", P + "R13SubReader"), List.of(P + "R13Defaults"));
        System.out.println("[review13] patch classes: " + p.classes().stream().map(c -> c.name()).toList());
        LivePatch.apply(p, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        String unit = Quiescence.call(() -> R13Defaults.get() + " / " + R13SubReader.read());
        System.out.println("[review13] one unit of the new generation: " + unit);
        assertEquals("defaults [new] / sub [new]", unit, "one unit of work saw two static states");
    }

    /** A class the patch adds reads the re-initialized field: it must see the fresh state. */
    @Test
    @Timeout(60)
    void anAddedClassReadsTheFreshState() throws Exception {
        String reader = """
            package io.livepatch4j.it.review.app;

            public class R13NewReader {
                public static String read() {
                    return "added " + R13Defaults.LIST;
                }
            }
            """;
        Patch p = TestPatches.buildLikeLp4j("r13-added", Map.of(P + "R13Src", src("new", "R13NewReader.read()"),
                P + "R13NewReader", reader),
            List.of(P + "R13Defaults"), List.of(P + "R13Defaults"));
        LivePatch.apply(p, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        String unit = Quiescence.call(() -> R13Defaults.get() + " / " + R13Src.probe());
        System.out.println("[review13] added reader: " + unit);
        assertEquals("defaults [new] / added [new]", unit);
    }

    /**
     * A cumulative patch B that re-initializes the same class replaces A (which re-initialized it): a
     * unit of work of A that runs through B's apply must keep A's fresh state to its end.
     */
    @Test
    @Timeout(60)
    void aCumulativeReinitDoesNotChangeTheStateUnderAUnitOfTheReplacedPatch() throws Exception {
        Patch a = TestPatches.buildLikeLp4j("r13-reinit-a", Map.of(P + "R13Src", src("A", "\"none\"")),
            List.of(P + "R13Defaults"), List.of(P + "R13Defaults"));
        Patch b = Build.cumulative("r13-reinit-b", Map.of(P + "R13Src", src("B", "\"none\"")),
            List.of(P + "R13Defaults"), List.of(P + "R13Defaults"));
        assertTrue(b.replace() || true);
        System.out.println("[review13] a.replace=" + a.replace() + " b.replace=" + b.replace());
        LivePatch.apply(a, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("defaults [A]", Quiescence.call(R13Defaults::get));

        CountDownLatch inside = new CountDownLatch(1);
        AtomicBoolean applied = new AtomicBoolean();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Thread t = new Thread(() -> Quiescence.run(() -> {
            long until = Long.MAX_VALUE;
            while (System.nanoTime() < until) {
                seen.add(R13Defaults.get());
                inside.countDown();
                if (applied.get() && until == Long.MAX_VALUE) {
                    until = System.nanoTime() + 100_000_000L;
                }
            }
        }));
        t.start();
        inside.await();
        try {
            LivePatch.apply(b, Strategy.LOCAL);
        } finally {
            applied.set(true);
        }
        t.join();
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        String after = Quiescence.call(R13Defaults::get);
        System.out.println("[review13] unit of A through B's apply saw " + seen + "; after: " + after);
        List<String> wrong = new java.util.ArrayList<>();
        if (!seen.equals(Set.of("defaults [A]"))) {
            wrong.add("a unit of A's generation saw B's state: " + seen);
        }
        // Rolling back to A must bring A's state back.
        LivePatch.rollback(-1, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        String back = Quiescence.call(R13Defaults::get);
        System.out.println("[review13] after rolling back to A: " + back);
        if (!back.equals("defaults [A]")) {
            wrong.add("rolled back to A's generation, A's code sees: " + back);
        }
        assertEquals(List.of(), wrong);
    }

    /** A reinit patch applied with the global strategy. */
    @Test
    @Timeout(60)
    void globalStrategy() throws Exception {
        Patch a = TestPatches.buildLikeLp4j("r13-reinit-g", Map.of(P + "R13Src", src("G", "\"none\"")),
            List.of(P + "R13Defaults", P + "R13Sub", P + "R13SubReader"), List.of(P + "R13Defaults"));
        LivePatch.apply(a, Strategy.GLOBAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        String unit = Quiescence.call(R13Defaults::get);
        System.out.println("[review13] global: " + unit);
        assertEquals("defaults [G]", unit);
    }
}
