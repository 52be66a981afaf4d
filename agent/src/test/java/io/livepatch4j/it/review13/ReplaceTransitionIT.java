package io.livepatch4j.it.review13;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.R13Tally;
import io.livepatch4j.it.review.app.R13Tally2;
import io.livepatch4j.it.support.BackToLoadedCode;
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

/** Review of issue 13, promise 3: a replace transition, a unit of the replaced patch, then rollback. */
@ExtendWith(BackToLoadedCode.class)
class ReplaceTransitionIT {

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

    @Test
    @Timeout(60)
    void aUnitOfTheReplacedPatchSeesOnlyItsCode() throws Exception {
        Patch a = Build.cumulative("r13-rep-a", Map.of(P + "R13Tally", tally("R13Tally", "A"), P + "R13Tally2",
            tally("R13Tally2", "A")), List.of(), List.of());
        Patch b = Build.cumulative("r13-rep-b", Map.of(P + "R13Tally", tally("R13Tally", "B")), List.of(), List.of());
        LivePatch.apply(a, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        CountDownLatch inside = new CountDownLatch(1);
        AtomicBoolean applied = new AtomicBoolean();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Set<String> others = ConcurrentHashMap.newKeySet();
        Thread t = new Thread(() -> Quiescence.run(() -> {
            long until = Long.MAX_VALUE;
            while (System.nanoTime() < until) {
                seen.add(R13Tally.version() + "/" + R13Tally2.version());
                inside.countDown();
                if (applied.get() && until == Long.MAX_VALUE) {
                    until = System.nanoTime() + 200_000_000L;
                }
            }
        }));
        t.start();
        inside.await();
        try {
            LivePatch.apply(b, Strategy.LOCAL);
            for (int i = 0; i < 200; i++) {
                others.add(Quiescence.call(() -> R13Tally.version() + "/" + R13Tally2.version()));
            }
        } finally {
            applied.set(true);
        }
        t.join();
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        System.out.println("[review13] replace: old unit saw " + seen + ", new units " + others);
        assertEquals(Set.of("A/A"), seen);
        assertEquals(Set.of("B/v1"), others);
        LivePatch.rollback(-1, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        String back = Quiescence.call(() -> R13Tally.version() + "/" + R13Tally2.version());
        System.out.println("[review13] rollback after replace: " + back + " " + LivePatch.status().generations()
            .get(LivePatch.status().generations().size() - 1).patches());
        assertEquals("A/A", back);
    }
}
