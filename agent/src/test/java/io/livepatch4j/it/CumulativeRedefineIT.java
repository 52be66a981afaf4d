package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.cumulative.Invoice;
import io.livepatch4j.it.app.cumulative.Receipt;
import io.livepatch4j.it.app.cumulative.Tariff;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cumulative patch over a patch applied with the redefine strategy: only the redefine strategy can
 * return the classes it changed to their original code (the local strategy is refused, saying so),
 * and it does so in the same redefinition. A JVM of its own: redefined classes stay redefined.
 */
class CumulativeRedefineIT {

    private static final String PKG = "io.livepatch4j.it.app.cumulative.";

    private static String method(String cls, String name, String value) {
        return "package io.livepatch4j.it.app.cumulative; public class " + cls + " { public String " + name
            + "() { return \"" + value + "\"; } }";
    }

    @Test
    void cumulativePatchOverARedefinedPatchNeedsTheRedefineStrategyAndReturnsItsClassesToTheirOriginal() throws Exception {
        Tariff tariff = new Tariff();
        Invoice invoice = new Invoice();
        Receipt receipt = new Receipt();
        Patch a = TestPatches.build("A", Map.of(PKG + "Tariff", method("Tariff", "rate", "rate-A"),
            PKG + "Invoice", method("Invoice", "total", "total-A"))).withCumulative(true, List.of());
        Patch b = TestPatches.build("B", Map.of(PKG + "Invoice", method("Invoice", "total", "total-B"),
            PKG + "Receipt", method("Receipt", "footer", "footer-B"))).withCumulative(true, List.of());
        LivePatch.apply(a, Strategy.REDEFINE);
        assertEquals("rate-A total-A footer-v1", tariff.rate() + " " + invoice.total() + " " + receipt.footer());

        long before = LivePatch.currentGeneration();
        PatchException local = assertThrows(PatchException.class, () -> LivePatch.apply(b, Strategy.LOCAL));
        assertTrue(local.getMessage().contains(PKG + "Tariff, which they changed with the redefine strategy and this "
            + "patch does not name, would go back to its original code; only the redefine strategy can do that"),
            local.getMessage());
        assertEquals(before, LivePatch.currentGeneration(), "nothing changed");
        assertEquals("rate-A total-A footer-v1", tariff.rate() + " " + invoice.total() + " " + receipt.footer());

        ApplyResult r = LivePatch.apply(b, Strategy.REDEFINE);
        assertEquals(before + 1, r.generation());
        assertEquals(3, r.classes().size(), "Tariff is redefined back in the same redefinition");
        assertEquals("rate-v1 total-B footer-B", tariff.rate() + " " + invoice.total() + " " + receipt.footer());
        assertEquals(List.of("B"), r.patches());
    }
}
