package io.livepatch4j.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whether lp4j warns about JEP 451 follows the JVM's own reading of its options: the last one wins. */
class TargetJvmTest {

    @Test
    void aJvmStartedWithTheFlagLoadsAgentsWithoutAWarning() {
        assertTrue(TargetJvm.enablesDynamicAgents("-Xmx512m -XX:+EnableDynamicAgentLoading"));
    }

    @Test
    void aJvmWithoutTheFlagOrWithItTurnedOffAgainGetsTheNote() {
        assertFalse(TargetJvm.enablesDynamicAgents(""));
        assertFalse(TargetJvm.enablesDynamicAgents("-Xmx512m"));
        assertFalse(TargetJvm.enablesDynamicAgents("-XX:+EnableDynamicAgentLoading -XX:-EnableDynamicAgentLoading"));
        assertTrue(TargetJvm.enablesDynamicAgents("-XX:-EnableDynamicAgentLoading -XX:+EnableDynamicAgentLoading"));
    }
}
