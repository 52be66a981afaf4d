package io.livepatch4j.bench.callcost;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ratios are taken against no-agent of the same run, by means and by medians, and per round against
 * that round's no-agent fork; a slow outlier iteration moves the mean but not the median.
 */
class CallCostResultsTest {

    @Test
    void ratiosCompareWithNoAgentOverallAndRoundByRound() {
        CallCostResults r = new CallCostResults();
        r.add(new CallCostResults.Fork(CallCase.NO_AGENT, 1, new double[] {1.0, 1.0, 1.0}));
        r.add(new CallCostResults.Fork(CallCase.RETIRED, 1, new double[] {1.1, 1.1, 1.1}));
        r.add(new CallCostResults.Fork(CallCase.NO_AGENT, 2, new double[] {2.0, 2.0, 2.0}));
        r.add(new CallCostResults.Fork(CallCase.RETIRED, 2, new double[] {2.0, 2.0, 2.0}));
        r.add(new CallCostResults.Fork(CallCase.UNPATCHED, 1, new double[] {1.0, 1.0, 1.0, 1.0, 9.0}));

        List<CallCostResults.Summary> s = r.summaries();
        CallCostResults.Summary retired = s.stream().filter(x -> x.callCase() == CallCase.RETIRED).findFirst().orElseThrow();
        assertEquals(2, retired.forks());
        assertEquals(6, retired.iterations());
        assertEquals(1.55, retired.meanNs(), 1e-9);
        assertEquals(1.55 / 1.5, retired.ratio(), 1e-9);
        assertEquals(1.0, retired.minRoundRatio(), 1e-9, "round 2: 2.0 / 2.0");
        assertEquals(1.1, retired.maxRoundRatio(), 1e-9, "round 1: 1.1 / 1.0");
        assertTrue(retired.errorNs() > 0, "JMH's error over the six iterations");
        assertEquals(1.55 / 1.5, retired.medianRatio(), 1e-9, "medians of {1.1,1.1,1.1,2,2,2} and {1,1,1,2,2,2}");
        assertTrue(r.table().contains("| retired | 1.550 ± "), r.table());
        assertTrue(r.csv("JDK 17").contains("case,JDK 17,retired,,2,6,1.5500,"), r.csv("JDK 17"));

        CallCostResults.Summary unpatched = s.stream().filter(x -> x.callCase() == CallCase.UNPATCHED).findFirst()
            .orElseThrow();
        assertEquals(2.6, unpatched.meanNs(), 1e-9, "one slow iteration drags the mean");
        assertEquals(1.0, unpatched.medianNs(), 1e-9, "but not the median");
        assertEquals(1.0, unpatched.minRoundRatio(), 1e-9, "round 1 by medians: 1.0 / 1.0");
    }
}
