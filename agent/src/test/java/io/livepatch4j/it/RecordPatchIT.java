package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Label;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A record's methods can be patched; its constructor, which alone may write its fields, keeps running as loaded. */
@ExtendWith(BackToLoadedCode.class)
class RecordPatchIT {

    @Test
    void patchOfARecordsMethodKeepsConstructingTheRecordWorking() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Label before = new Label(" a ");
            LivePatch.apply(TestPatches.build("label-shout", Map.of("io.livepatch4j.it.app.Label",
                "package io.livepatch4j.it.app; public record Label(String text) {"
                    + " public Label { text = text.trim(); }"
                    + " public String shout() { return text.toUpperCase() + \"!!\"; } }")), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
            assertEquals("A!!", pool.submit(before::shout).get(), "the patched method runs");
            assertEquals("B!!", pool.submit(() -> new Label(" b ").shout()).get(),
                "constructing the record after the patch works and runs the loaded constructor");
        } finally {
            pool.shutdownNow();
        }
    }
}
