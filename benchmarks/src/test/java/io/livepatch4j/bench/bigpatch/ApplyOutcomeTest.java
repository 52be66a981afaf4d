package io.livepatch4j.bench.bigpatch;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the benchmark reads from lp4j apply --json: today's output, the planned timings, and a refusal. */
class ApplyOutcomeTest {

    private static Lp4jCli.Run run(int exit, String stdout, String stderr) {
        return new Lp4jCli.Run(List.of("apply"), exit, 0, 1_000_000, stdout, stderr);
    }

    @Test
    void withoutTimingsOnlyTheTransitionIsKnown() {
        ApplyOutcome o = ApplyOutcome.parse(run(0, """
            {"format": 1, "command": "apply", "pid": 4242, "generation": 1, "complete": true,
             "transition": {"state": "complete", "elapsedMillis": 2732.5, "threadsMoved": 4}}
            """, ""));
        assertTrue(o.complete());
        assertEquals(1, o.generation());
        assertEquals(2732.5, o.transitionMillis().orElseThrow(), 1e-9);
        assertFalse(o.agentApplyMillis().isPresent(), "no timings object, no agent time");
        assertEquals("", o.timingsText());
    }

    @Test
    void timingsWinWhenLp4jPrintsThem() {
        ApplyOutcome o = ApplyOutcome.parse(run(0, """
            {"format": 1, "command": "apply", "generation": 1, "complete": true,
             "transition": {"elapsedMillis": 300.0},
             "timings": {"lp4jStartMillis": 210.5, "connectMillis": 40, "agentMillis": 812.25,
                         "agentPhases": {"checks": 300.5, "implementations": 400},
                         "agentLoaded": false, "totalMillis": 1400, "note": "not a number"}}
            """, ""));
        assertEquals(812.25, o.agentApplyMillis().orElseThrow(), 1e-9);
        assertEquals(300, o.transitionMillis().orElseThrow(), 1e-9, "lp4j gives the transition's in transition.elapsedMillis");
        assertEquals("agentMillis=812.3;agentPhases.checks=300.5;agentPhases.implementations=400.0;connectMillis=40.0;"
            + "lp4jStartMillis=210.5;totalMillis=1400.0", o.timingsText());
    }

    @Test
    void aRefusalKeepsItsMessage() {
        ApplyOutcome o = ApplyOutcome.parse(run(1, """
            {"format": 1, "command": "apply", "error": {"exitCode": 1, "message": "refused patch p: its pre-apply callback threw"}}
            """, "lp4j: refused patch p: its pre-apply callback threw\n"));
        assertEquals(1, o.exit());
        assertFalse(o.complete());
        assertEquals("refused patch p: its pre-apply callback threw", o.error());
    }

    @Test
    void noJsonAtAllLeavesTheStderrLine() {
        ApplyOutcome o = ApplyOutcome.parse(run(3, "", "note: something\nlp4j: there is no process with pid 1\n"));
        assertEquals("lp4j: there is no process with pid 1", o.error());
    }
}
