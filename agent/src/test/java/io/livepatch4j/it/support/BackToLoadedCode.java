package io.livepatch4j.it.support;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;

/** After each test, rolls the JVM back to the code as loaded, so tests in one class start alike. */
public final class BackToLoadedCode implements AfterEachCallback {

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        settle("before rolling back");
        boolean patched = LivePatch.status().classes().stream().anyMatch(c -> c.version() != 0);
        if (patched) {
            LivePatch.rollback(0, Strategy.LOCAL);
            settle("rolling back to G0");
        }
    }

    private static void settle(String when) throws InterruptedException {
        if (!LivePatch.awaitTransition(Duration.ofSeconds(10))) {
            throw new AssertionError("a transition did not complete " + when + ": "
                + io.livepatch4j.agent.tooling.StatusJson.of(LivePatch.status()));
        }
    }
}
