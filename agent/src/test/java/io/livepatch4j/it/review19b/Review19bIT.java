package io.livepatch4j.it.review19b;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Status;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Rv19Work;
import io.livepatch4j.it.review.app.Rv19bPool;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** review19b: adversarial cases for the drain of a refused transition (commit 3e8e1d7). hookTimeoutMillis=3000. */
@ExtendWith(BackToLoadedCode.class)
class Review19bIT {

    private static final String W = "io.livepatch4j.it.review.app.Rv19Work";
    private static final String APP = "io.livepatch4j.it.review.app.";

    private static String work(String version) {
        return """
            package io.livepatch4j.it.review.app;
            import java.util.function.Supplier;
            public class Rv19Work {
                private final String made;
                public Rv19Work() { made = "c1"; }
                public static String version() { return "%s"; }
                public String all() { return version() + "/" + priv() + "/" + made + "/" + sup().get(); }
                private String priv() { return "p1"; }
                public Supplier<String> sup() { return () -> "s1"; }
                static String extra() { return "x"; }
            }
            """.formatted(version);
    }

    /** A pre-apply callback that runs {@code body} and then vetoes. */
    private static String hooks(String name, String body) {
        return """
            package io.livepatch4j.it.review.app;
            import io.livepatch4j.quiescence.PatchCallback;
            public class %s {
                @PatchCallback(PatchCallback.Phase.PRE_APPLY)
                static void preApply() throws Exception {
                    %s
                    if (true) throw new IllegalStateException("veto");
                }
            }
            """.formatted(name, body);
    }

    /** The carried task: records what it sees before and after gate2, never throws. */
    private static final String CARRIED = """
        Rv19bPool.POOL.submit(() -> {
            try {
                Rv19bPool.started.countDown();
                Rv19bPool.gate.await();
                Rv19bPool.SEEN.add("first " + Rv19Work.version());
                Rv19bPool.gate2.await();
                Rv19bPool.SEEN.add("second " + Rv19Work.version());
            } catch (Throwable t) {
                Rv19bPool.SEEN.add("threw " + t);
            }
        });
        """;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    private String g0Unit() throws Exception {
        return pool.submit(Rv19Work::version).get(10, TimeUnit.SECONDS);
    }

    private static boolean jmxRunning() throws Exception {
        return (Boolean) ManagementFactory.getPlatformMBeanServer().getAttribute(
            new javax.management.ObjectName(jmxName()), "TransitionRunning");
    }

    private static String jmxName() throws Exception {
        for (javax.management.ObjectName n : ManagementFactory.getPlatformMBeanServer().queryNames(null, null)) {
            if (n.toString().toLowerCase().contains("livepatch")) {
                return n.toString();
            }
        }
        throw new AssertionError("no livepatch4j MBean");
    }

    private static void waitSeen(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Rv19bPool.SEEN.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /**
     * The drain gives up after hookTimeoutMillis (3 s here) while the carried unit is still inside its
     * work: its next call to the patch's code then ... (documented: "may fail"). What exactly happens,
     * and does a good apply made meanwhile wait for it?
     */
    @Test
    void drainTimesOutWhileTheCarriedUnitStillRuns() throws Exception {
        Rv19bPool.reset();
        Patch vetoed = TestPatches.buildLikeLp4j("rv19b-timeout", Map.of(W, work("vVETO"),
            APP + "Rv19bTimeout", hooks("Rv19bTimeout", CARRIED)));
        long t0 = System.nanoTime();
        assertThrows(PatchException.class, () -> LivePatch.apply(vetoed, Strategy.LOCAL));
        Rv19bPool.gate.countDown();
        waitSeen(1);
        Status s = LivePatch.status();
        System.out.println("review19b draining: " + s.transition() + " jmxRunning=" + jmxRunning());
        assertEquals("draining", s.transition().state());
        assertTrue(jmxRunning(), "TransitionRunning during a drain: applies wait for it");
        assertEquals(1, s.transition().remaining().size(), "the drain names the work it waits for: " + s.transition());
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(20)));
        System.out.println("review19b drain ended after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        Patch good = TestPatches.build("rv19b-timeout-good", Map.of(W, work("v2")));
        LivePatch.apply(good, Strategy.LOCAL);
        Thread.sleep(300);
        System.out.println("review19b good transition while carried unit open: " + LivePatch.status().transition());
        Rv19bPool.gate2.countDown();
        waitSeen(2);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        System.out.println("review19b timeout seen: " + Rv19bPool.SEEN);
        assertEquals("v2", g0Unit());
        assertEquals(List.of("first vVETO", "second vVETO"), List.copyOf(Rv19bPool.SEEN),
            "one unit, one generation (or a documented failure)");
    }

    /** The same refusal under the global strategy: the barrier must be down during the drain. */
    @Test
    void globalVetoDrains() throws Exception {
        Rv19bPool.reset();
        String was = g0Unit();
        Patch vetoed = TestPatches.buildLikeLp4j("rv19b-global", Map.of(W, work("vVETO"),
            APP + "Rv19bGlobal", hooks("Rv19bGlobal", CARRIED)));
        assertThrows(PatchException.class, () -> LivePatch.apply(vetoed, Strategy.GLOBAL));
        assertEquals(was, g0Unit(), "a new unit during the drain: the code as before, barrier down");
        String[] plain = new String[1];
        Thread t = new Thread(() -> plain[0] = Rv19Work.version());
        t.start();
        t.join(5000);
        assertEquals(was, plain[0], "a plain thread during the drain");
        System.out.println("review19b global draining: " + LivePatch.status().transition());
        Rv19bPool.gate.countDown();
        waitSeen(1);
        assertThrows(PatchException.class, () -> LivePatch.rollback(Strategy.LOCAL));
        Rv19bPool.gate2.countDown();
        waitSeen(2);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals(was, g0Unit());
        assertEquals(List.of("first vVETO", "second vVETO"), List.copyOf(Rv19bPool.SEEN));
    }

    /**
     * A callback's task that is queued and then discarded by the executor (DiscardOldestPolicy: polled
     * off the queue, never run, never rejected): how long does the drain (and the refusal of every apply)
     * last when the rest of the work ended at once?
     */
    @Test
    void discardedTaskHoldsTheDrain() throws Exception {
        Rv19bPool.reset();
        String body = """
            Rv19bPool.DISCARDING.execute(() -> { try { Rv19bPool.gate.await(); } catch (InterruptedException e) { } });
            Rv19bPool.DISCARDING.execute(() -> Rv19bPool.SEEN.add("discarded ran " + Rv19Work.version()));
            Rv19bPool.DISCARDING.execute(() -> Rv19bPool.SEEN.add("last ran " + Rv19Work.version()));
            """;
        Patch vetoed = TestPatches.buildLikeLp4j("rv19b-discard", Map.of(W, work("vVETO"),
            APP + "Rv19bDiscard", hooks("Rv19bDiscard", body)));
        assertThrows(PatchException.class, () -> LivePatch.apply(vetoed, Strategy.LOCAL));
        Rv19bPool.gate.countDown();
        waitSeen(1);
        long t0 = System.nanoTime();
        Patch good = TestPatches.build("rv19b-discard-good", Map.of(W, work("v2")));
        PatchException refused = null;
        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) {
            try {
                LivePatch.apply(good, Strategy.LOCAL);
                refused = null;
                break;
            } catch (PatchException e) {
                refused = e;
                Thread.sleep(50);
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("review19b discard: seen " + Rv19bPool.SEEN + "; applies refused for " + ms + " ms after all "
            + "work ended" + (refused == null ? "" : "; last: " + refused.getMessage()));
        assertTrue(refused == null, "the good apply went through");
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertTrue(ms < 1000, "applies refused for " + ms + " ms after every task that can run had ended");
    }

    /**
     * Not the drain's own: a task that a unit of G0 submits to an executor whose DiscardOldestPolicy
     * makes room and re-executes it. ThreadPoolExecutor.reject releases the unit the task carried, and
     * the policy's execute(r) runs inside the outer submission of the same task, so it carries nothing:
     * the task runs the newest generation, not the one of the unit that submitted it.
     */
    @Test
    void discardOldestReexecutesATaskOutsideItsUnit() throws Exception {
        Rv19bPool.reset();
        java.util.concurrent.CountDownLatch applied = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.Future<String> g0 = pool.submit(() -> {
            String mine = Rv19Work.version();
            applied.await();
            Rv19bPool.DISCARDING.execute(() -> { try { Rv19bPool.gate.await(); } catch (InterruptedException e) { } });
            Rv19bPool.DISCARDING.execute(() -> Rv19bPool.SEEN.add("dropped " + Rv19Work.version()));
            Rv19bPool.DISCARDING.execute(() -> Rv19bPool.SEEN.add("re-executed " + Rv19Work.version()));
            return mine + " then " + Rv19Work.version();
        });
        Thread.sleep(200);
        LivePatch.apply(TestPatches.build("rv19b-dop-good", Map.of(W, work("v2"))), Strategy.LOCAL);
        applied.countDown();
        String unit = g0.get(10, TimeUnit.SECONDS);
        Rv19bPool.gate.countDown();
        waitSeen(1);
        System.out.println("review19b discard-oldest: unit " + unit + ", its task " + Rv19bPool.SEEN);
        boolean ended = LivePatch.awaitTransition(Duration.ofSeconds(5));
        System.out.println("review19b discard-oldest: transition ended within 5 s: " + ended + " " + LivePatch.status().transition());
        System.gc();
        Thread.sleep(500);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "after a GC");
        assertEquals("v1 then v1", unit);
        assertEquals(List.of("re-executed v1"), List.copyOf(Rv19bPool.SEEN), "the task runs its submitter's generation");
    }
}
