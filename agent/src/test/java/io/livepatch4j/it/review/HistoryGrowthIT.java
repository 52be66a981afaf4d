package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Rv;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory held by finished requests: after N apply+rollback cycles, how big are status, the history and
 * the heap? SoakIT checks classes and metaspace; this looks at the heap and the status document.
 */
class HistoryGrowthIT {

    @Test
    @Timeout(300)
    void applyRollbackCyclesKeepStatusAndHeapFlat() throws Exception {
        Patch v2 = ReviewPatches.rvV2();
        int cycles = Integer.getInteger("lp4j.review.cycles", 600);
        long[] heap = new long[3];
        int[] json = new int[3];
        int[] at = {20, cycles / 2, cycles};
        int k = 0;
        for (int i = 1; i <= cycles; i++) {
            LivePatch.apply(v2, Strategy.LOCAL);
            Quiescence.run(Rv::v);
            LivePatch.awaitTransition(Duration.ofSeconds(10));
            LivePatch.rollback(0, Strategy.LOCAL);
            Quiescence.run(Rv::v);
            LivePatch.awaitTransition(Duration.ofSeconds(10));
            if (k < at.length && i == at[k]) {
                for (int g = 0; g < 3; g++) {
                    System.gc();
                }
                heap[k] = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                json[k] = StatusJson.of(LivePatch.status()).length();
                k++;
            }
        }
        System.out.println("[review] history: after " + at[0] + "/" + at[1] + "/" + at[2] + " cycles: heap used "
            + heap[0] / 1024 + "/" + heap[1] / 1024 + "/" + heap[2] / 1024 + " KiB, status JSON " + json[0] + "/" + json[1] + "/"
            + json[2] + " chars, generations listed " + LivePatch.status().generations().size());
        assertTrue(json[2] < json[0] * 3, "status grows with every generation ever made");
    }
}
