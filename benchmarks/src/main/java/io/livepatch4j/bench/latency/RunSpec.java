package io.livepatch4j.bench.latency;

import java.util.Locale;

/**
 * One scenario run: a fresh server JVM, {@code warmupSeconds} of load not counted, then
 * {@code measureSeconds} measured. {@code group} is "main" (the per-workload tables) or "sweep"
 * (local against global by worker-thread count).
 */
record RunSpec(String group, Workload workload, Scenario scenario, int threads, double rate,
               double warmupSeconds, double measureSeconds) {

    static final String MAIN = "main";
    static final String SWEEP = "sweep";

    /** File-name stem of this run's outputs, e.g. {@code mixed-local} or {@code sweep-mixed-local-t128}. */
    String tag() {
        return group.equals(MAIN) ? workload.word() + "-" + scenario.word()
            : group + "-" + workload.word() + "-" + scenario.word() + "-t" + threads;
    }

    /**
     * The key of the final JSON line and of the CSV: {@code mixed/local}, or {@code sweep/t8/mixed/local}.
     */
    String key() {
        return group.equals(MAIN) ? workload.word() + "/" + scenario.word()
            : String.format(Locale.ROOT, "sweep/t%d/%s/%s", threads, workload.word(), scenario.word());
    }

    /**
     * Whether {@code other} is the baseline this run's ratios are taken against: no patching, same load and
     * threads.
     */
    boolean baselineIs(RunSpec other) {
        return other.scenario == Scenario.NONE && other.group.equals(group) && other.workload == workload
            && other.threads == threads && other.rate == rate;
    }
}
