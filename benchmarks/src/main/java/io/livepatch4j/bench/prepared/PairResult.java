package io.livepatch4j.bench.prepared;

import java.util.Map;

/**
 * One pair of runs, measured side by side: the figures of the JVM without the agent and of the one
 * with it ({@code cost}: CPU microseconds per operation or request, higher is costlier;
 * {@code throughput_per_s}: wall-clock operations or requests per second; the rest as named), and
 * the pair's ratios, prepared over plain: CPU time and wall-clock time per operation.
 */
record PairResult(String caseName, int pair, Map<String, String> none, Map<String, String> agent, double costRatio,
                  double wallRatio) {

    double cost(boolean withAgent) {
        return Double.parseDouble((withAgent ? agent : none).get("cost"));
    }

    String line() {
        return String.format(java.util.Locale.ROOT, "%-8s pair %2d: cost %.3fx (CPU %s vs %s us per op), wall %.3fx; none %s; agent %s",
            caseName, pair, costRatio, agent.get("cost"), none.get("cost"), wallRatio, none, agent);
    }
}
