package io.livepatch4j.bench.latency;

import java.util.List;
import java.util.Optional;

/**
 * Ratios of a run's tail latency to its baseline's: the {@code none} run of the same group,
 * workload, thread count and rate, measured in the same harness invocation (ratios from one run
 * compare; absolute figures on a shared 2-CPU machine drift between runs).
 */
final class Baselines {

    private final List<ScenarioResult> results;

    Baselines(List<ScenarioResult> results) {
        this.results = List.copyOf(results);
    }

    Optional<ScenarioResult> baselineOf(ScenarioResult r) {
        return results.stream().filter(b -> b.ran() && r.spec().baselineIs(b.spec())).findFirst();
    }

    /** p99.9 of all requests over the baseline's; NaN without a baseline or a value. */
    double p999Ratio(ScenarioResult r) {
        return r.ran()
                ? baselineOf(r).map(b -> ratio(r.all().p999Ms(), b.all().p999Ms())).orElse(Double.NaN)
                : Double.NaN;
    }

    /** The same for the short requests only. */
    double shortP999Ratio(ScenarioResult r) {
        return r.ran()
                ? baselineOf(r).map(b -> ratio(r.shortOnly().p999Ms(), b.shortOnly().p999Ms()))
                        .orElse(Double.NaN)
                : Double.NaN;
    }

    /** p99 of all requests over the baseline's: a barrier that holds requests for ~0.5 s shows here first. */
    double p99Ratio(ScenarioResult r) {
        return r.ran()
                ? baselineOf(r).map(b -> ratio(r.all().p99Ms(), b.all().p99Ms())).orElse(Double.NaN)
                : Double.NaN;
    }

    static double ratio(double value, double baseline) {
        return Double.isNaN(value) || Double.isNaN(baseline) || baseline <= 0 ? Double.NaN : value / baseline;
    }
}
