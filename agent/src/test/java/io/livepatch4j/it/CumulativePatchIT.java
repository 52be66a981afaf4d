package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Status;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.cumulative.Invoice;
import io.livepatch4j.it.app.cumulative.Receipt;
import io.livepatch4j.it.app.cumulative.Tariff;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.PatchState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cumulative patches (issue 13.3): a patch built against the code as loaded replaces whatever patch
 * is live in one transition; each generation records the patches it includes; state versions refuse
 * a patch that does not handle what a live patch set up. A: Tariff and Invoice (and adds TariffTable);
 * B, cumulative: Invoice (A's fix and more) and Receipt, not Tariff; C: Invoice again, built on A.
 */
@ExtendWith(BackToLoadedCode.class)
class CumulativePatchIT {

    private static final String PKG = "io.livepatch4j.it.app.cumulative.";

    private final Tariff tariff = new Tariff();
    private final Invoice invoice = new Invoice();
    private final Receipt receipt = new Receipt();
    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private static String method(String cls, String name, String body) {
        return "package io.livepatch4j.it.app.cumulative; public class " + cls + " { public String " + name + "() { "
            + body + " } }";
    }

    /** A: Tariff reads a class A adds, Invoice gets A's fix. Built against the code as loaded. */
    private static Patch patchA(List<PatchState> states) {
        return TestPatches.build("A", Map.of(
            PKG + "Tariff", method("Tariff", "rate", "return TariffTable.name();"),
            PKG + "TariffTable", "package io.livepatch4j.it.app.cumulative; public final class TariffTable {"
                + " public static String name() { return \"rate-A\"; } }",
            PKG + "Invoice", method("Invoice", "total", "return \"total-A\";"))).withCumulative(true, states);
    }

    /** B: built against the code as loaded, carrying A's fix to Invoice and more, and a change to Receipt; not Tariff. */
    private static Patch patchB(List<PatchState> states) {
        return TestPatches.build("B", Map.of(
            PKG + "Invoice", method("Invoice", "total", "return \"total-B\";"),
            PKG + "Receipt", method("Receipt", "footer", "return \"footer-B\";"))).withCumulative(true, states);
    }

    /** Every class's answer, from a unit of work. */
    private String running() throws Exception {
        return pool.submit(() -> tariff.rate() + " " + invoice.total() + " " + receipt.footer()).get();
    }

    private static ApplyResult applyAndWait(Patch p) throws Exception {
        ApplyResult r = LivePatch.apply(p, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes");
        return r;
    }

    private static Status.GenerationStatus generation(long number) {
        return LivePatch.status().generations().stream().filter(g -> g.number() == number).findFirst().orElseThrow();
    }

    @Test
    void cumulativePatchReplacesTheLivePatchInOneTransitionAndRollbackReturnsToIt() throws Exception {
        ApplyResult a = applyAndWait(patchA(List.of()));
        assertEquals("rate-A total-A footer-v1", running());
        assertEquals(List.of("A"), a.patches());
        int generationsBefore = LivePatch.status().generations().size();

        ApplyResult b = applyAndWait(patchB(List.of()));
        assertEquals(a.generation() + 1, b.generation(), "one new generation");
        assertEquals(a.generation(), b.fromGeneration());
        assertEquals(generationsBefore + 1, LivePatch.status().generations().size(), "one transition, one generation");
        assertEquals(List.of(PKG + "Invoice", PKG + "Receipt", PKG + "Tariff"), b.classes().stream().sorted().toList(),
            "Tariff, which only A changed, is in the same transition");
        assertEquals("rate-v1 total-B footer-B", running(), "Tariff runs its original code again; B's changes run");
        assertEquals(List.of("B"), generation(b.generation()).patches(), "B's generation includes B only");
        assertEquals(List.of("B"), b.patches());
        assertEquals(List.of("A"), generation(a.generation()).patches());
        Class<?> added = Class.forName(PKG + "TariffTable", false, Tariff.class.getClassLoader());
        assertEquals("rate-A", added.getMethod("name").invoke(null), "a class A added stays defined");

        ApplyResult back = LivePatch.rollback(a.generation(), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("rate-A total-A footer-v1", running(), "back to A's code");
        assertEquals(List.of("A"), generation(back.generation()).patches(), "the rollback includes what A's generation did");
        assertEquals(List.of("A"), back.patches());
    }

    @Test
    void classALivePatchAddedIsPatchedWhenTheCumulativePatchCarriesItWithOtherCode() throws Exception {
        ApplyResult a = applyAndWait(patchA(List.of()));
        Patch b = TestPatches.build("B", Map.of(
            PKG + "Tariff", method("Tariff", "rate", "return TariffTable.name();"),
            PKG + "TariffTable", "package io.livepatch4j.it.app.cumulative; public final class TariffTable {"
                + " public static String name() { return \"rate-B\"; } }")).withCumulative(true, List.of());
        ApplyResult r = applyAndWait(b);
        assertEquals("rate-B total-v1 footer-v1", running(), "B's TariffTable runs; Invoice, which only A changed, is back");
        assertTrue(r.classes().contains(PKG + "TariffTable"), "the class A added is patched: " + r.classes());
        assertEquals(List.of("B"), r.patches());
        LivePatch.rollback(a.generation(), Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        assertEquals("rate-A total-A footer-v1", running(), "rolled back: TariffTable as A defined it");
    }

    @Test
    void unitOfWorkNeverMixesTheReplacedPatchWithItsReplacementUnderLoad() throws Exception {
        applyAndWait(patchA(List.of()));
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        ExecutorService load = Executors.newFixedThreadPool(4);
        Runnable unit = () -> {
            // One unit of work: a class only A changed, a pause that spans the apply, then the others.
            String rate = tariff.rate();
            try {
                Thread.sleep(3);
            } catch (InterruptedException e) {
                return;
            }
            seen.add(rate + " " + invoice.total() + " " + receipt.footer());
        };
        List<Thread> submitters = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            // Plain threads, outside any unit of work: an executor task that looped would be a unit that never ends.
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        load.submit(unit).get();
                    }
                } catch (Exception e) {
                    failed.set(e);
                }
            });
            t.start();
            submitters.add(t);
        }
        Thread.sleep(300);
        applyAndWait(patchB(List.of()));
        Thread.sleep(300);
        stop.set(true);
        for (Thread t : submitters) {
            t.join();
        }
        load.shutdownNow();
        assertEquals(null, failed.get(), "every unit of work ran");
        assertEquals(java.util.Set.of("rate-A total-A footer-v1", "rate-v1 total-B footer-B"), seen,
            "every unit ran all of A's code or all of B's");
    }

    @Test
    void cumulativePatchWithTheGlobalStrategyReplacesTheLivePatchToo() throws Exception {
        applyAndWait(patchA(List.of()));
        ApplyResult b = LivePatch.apply(patchB(List.of()), Strategy.GLOBAL);
        assertTrue(b.complete(), "the global strategy switches every thread at once");
        assertEquals(3, b.classes().size(), "Tariff goes back in the same switch");
        assertEquals("rate-v1 total-B footer-B", running());
        assertEquals(List.of("B"), generation(b.generation()).patches());
    }

    @Test
    void theSameCumulativePatchAgainChangesNothing() throws Exception {
        applyAndWait(patchA(List.of()));
        long before = LivePatch.currentGeneration();
        io.livepatch4j.agent.tooling.Unchanged e = assertThrows(io.livepatch4j.agent.tooling.Unchanged.class,
            () -> LivePatch.apply(patchA(List.of()), Strategy.LOCAL));
        assertTrue(e.getMessage().contains("is already applied: G" + before + " runs"), e.getMessage());
        assertEquals(before, e.generation());
        assertEquals(before, LivePatch.currentGeneration());
        assertEquals("rate-A total-A footer-v1", running());
    }

    @Test
    void lambdaObjectsMadeByTheReplacedPatchRunTheCumulativePatchsBodyForTheirSite() throws Exception {
        String coupon = "package io.livepatch4j.it.app.cumulative; public class Coupon {"
            + " public java.util.function.Supplier<String> code() { return () -> \"code-%s\"; } }";
        io.livepatch4j.it.app.cumulative.Coupon c = new io.livepatch4j.it.app.cumulative.Coupon();
        java.util.function.Supplier<String> madeByG0 = pool.submit(c::code).get();
        applyAndWait(TestPatches.build("A", Map.of(PKG + "Coupon", String.format(coupon, "A"),
            PKG + "Tariff", method("Tariff", "rate", "return \"rate-A\";"))).withCumulative(true, List.of()));
        java.util.function.Supplier<String> madeByA = pool.submit(c::code).get();
        assertEquals("code-A", pool.submit(madeByA::get).get());
        applyAndWait(TestPatches.build("B", Map.of(PKG + "Coupon", String.format(coupon, "B")))
            .withCumulative(true, List.of()));
        assertEquals("code-B", pool.submit(madeByA::get).get(), "an object A's code made runs B's body for its site");
        assertEquals("code-B", pool.submit(madeByG0::get).get(), "and so does one the code as loaded made");
        assertEquals("rate-v1", pool.submit(tariff::rate).get());
    }

    @Test
    void cumulativePatchOnCodeAsLoadedBehavesAsAnyPatch() throws Exception {
        ApplyResult b = applyAndWait(patchB(List.of()));
        assertEquals(List.of(PKG + "Invoice", PKG + "Receipt"), b.classes().stream().sorted().toList());
        assertEquals("rate-v1 total-B footer-B", running());
        assertEquals(List.of("B"), generation(b.generation()).patches());
        assertEquals(List.of(), generation(0).patches(), "G0 includes no patch");
    }

    @Test
    void stackedPatchBuiltOnTheLivePatchIncludesBoth() throws Exception {
        Patch a = patchA(List.of());
        applyAndWait(a);
        Patch c = TestPatches.buildOn(a, "C", Map.of(PKG + "Invoice", method("Invoice", "total", "return \"total-C\";")));
        ApplyResult r = applyAndWait(c);
        assertEquals("rate-A total-C footer-v1", running(), "C applies on top of A");
        assertEquals(List.of("A", "C"), generation(r.generation()).patches());
    }

    @Test
    void cumulativePatchBuiltAgainstTheLivePatchsBuildIsRefusedWithAdvice() throws Exception {
        Patch a = patchA(List.of());
        applyAndWait(a);
        long before = LivePatch.currentGeneration();
        int generations = LivePatch.status().generations().size();
        Patch d = TestPatches.buildOn(a, "D", Map.of(PKG + "Invoice", method("Invoice", "total", "return \"total-D\";")))
            .withCumulative(true, List.of());
        PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(d, Strategy.LOCAL));
        assertTrue(e.getMessage().contains(PKG + "Invoice: this patch replaces live patches, so it must be built against "
            + "the build this JVM started with; it was built against the live patch's build"), e.getMessage());
        assertTrue(e.getMessage().contains("build it with --stack"), e.getMessage());
        assertEquals(before, LivePatch.currentGeneration(), "no generation was made");
        assertEquals(generations, LivePatch.status().generations().size(), "history unchanged");
        assertEquals("rate-A total-A footer-v1", running(), "A's code still serves");
    }

    @Test
    void stackedPatchBuiltAgainstTheCodeAsLoadedIsRefusedWhileAPatchIsLive() throws Exception {
        applyAndWait(patchA(List.of()));
        Patch b = patchB(List.of()).withCumulative(false, List.of());
        PatchException e = assertThrows(PatchException.class, () -> LivePatch.apply(b, Strategy.LOCAL));
        assertTrue(e.getMessage().contains("build it without --stack, so that it replaces the live patches"), e.getMessage());
        assertEquals("rate-A total-A footer-v1", running());
    }

    @Test
    void patchThatDoesNotHandleALiveStateIsRefusedAndNothingChanges() throws Exception {
        ApplyResult a = applyAndWait(patchA(List.of(new PatchState("session-format", 2))));
        assertEquals(Map.of("session-format", 2), generation(a.generation()).states());
        long before = LivePatch.currentGeneration();
        int generations = LivePatch.status().generations().size();

        PatchException none = assertThrows(PatchException.class, () -> LivePatch.apply(patchB(List.of()), Strategy.LOCAL));
        assertTrue(none.getMessage().contains("patch B does not support state 'session-format' version 2 that live patch A "
            + "set up; build it with --state session-format=2 (or higher) after making it handle that state, or roll back "
            + "A first"), none.getMessage());
        PatchException lower = assertThrows(PatchException.class, () -> LivePatch.apply(
            patchB(List.of(new PatchState("session-format", 1))), Strategy.LOCAL));
        assertTrue(lower.getMessage().contains("patch B supports state 'session-format' only up to version 1, not version 2"),
            lower.getMessage());
        Patch stackedLower = TestPatches.buildOn(patchA(List.of()), "C", Map.of(PKG + "Invoice",
            method("Invoice", "total", "return \"total-C\";"))).withCumulative(false, List.of(new PatchState("session-format", 1)));
        assertThrows(PatchException.class, () -> LivePatch.apply(stackedLower, Strategy.LOCAL));
        assertEquals(before, LivePatch.currentGeneration(), "no generation was made");
        assertEquals(generations, LivePatch.status().generations().size(), "history unchanged");
        assertEquals(Map.of("session-format", 2), generation(before).states());
        assertEquals("rate-A total-A footer-v1", running(), "A's code still serves");

        ApplyResult c = applyAndWait(TestPatches.buildOn(patchA(List.of()), "C", Map.of(PKG + "Invoice",
            method("Invoice", "total", "return \"total-C\";"))).withCumulative(false, List.of(new PatchState("cache", 1))));
        assertEquals(Map.of("session-format", 2, "cache", 1), generation(c.generation()).states(),
            "a stacked patch keeps the live states and adds its own");
        ApplyResult b = applyAndWait(patchB(List.of(new PatchState("session-format", 3), new PatchState("cache", 1))));
        assertEquals(Map.of("session-format", 3, "cache", 1), generation(b.generation()).states());
        assertEquals(List.of("B"), generation(b.generation()).patches());
        assertEquals("rate-v1 total-B footer-B", running());
    }
}
