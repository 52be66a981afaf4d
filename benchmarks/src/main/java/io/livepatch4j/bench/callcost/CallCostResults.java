package io.livepatch4j.bench.callcost;

import org.openjdk.jmh.util.ListStatistics;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The measurement iterations of every fork of a call-cost run, by case, and what the tables say of
 * them. Mean and error are JMH's own ({@link ListStatistics}, the error being the half-width of the
 * 99.9% confidence interval, as JMH prints it) over all measurement iterations of all forks of a
 * case. Ratios are taken against no-agent from the same run; the per-round range shows how much
 * the ratio moved between rounds (each round runs one fork of every case, one after the other).
 */
final class CallCostResults {

    /** One fork: its case, its round, and the score of each measurement iteration in ns/op. */
    record Fork(CallCase callCase, int round, double[] iterationNs) {
        double mean() {
            return new ListStatistics(iterationNs).getMean();
        }
    }

    /** One case summarized. {@code ratio} and the round range are NaN without a no-agent baseline. */
    record Summary(CallCase callCase, int forks, long iterations, double meanNs, double errorNs,
                   double ratio, double minRoundRatio, double maxRoundRatio) {
    }

    private final List<Fork> forks = new ArrayList<>();

    void add(Fork f) {
        forks.add(f);
    }

    List<Summary> summaries() {
        Map<CallCase, ListStatistics> all = new EnumMap<>(CallCase.class);
        Map<CallCase, Integer> forkCount = new EnumMap<>(CallCase.class);
        for (Fork f : forks) {
            ListStatistics s = all.computeIfAbsent(f.callCase(), k -> new ListStatistics());
            for (double v : f.iterationNs()) {
                s.addValue(v);
            }
            forkCount.merge(f.callCase(), 1, Integer::sum);
        }
        ListStatistics base = all.get(CallCase.NO_AGENT);
        List<Summary> out = new ArrayList<>();
        for (Map.Entry<CallCase, ListStatistics> e : all.entrySet()) {
            ListStatistics s = e.getValue();
            double ratio = base == null ? Double.NaN : s.getMean() / base.getMean();
            double[] range = roundRatioRange(e.getKey());
            out.add(new Summary(e.getKey(), forkCount.get(e.getKey()), s.getN(), s.getMean(),
                s.getN() > 1 ? s.getMeanErrorAt(0.999) : Double.NaN, ratio, range[0], range[1]));
        }
        return out;
    }

    /** Min and max over rounds of (this case's fork mean / that round's no-agent fork mean). */
    private double[] roundRatioRange(CallCase c) {
        double min = Double.NaN;
        double max = Double.NaN;
        for (Fork f : forks) {
            if (f.callCase() != c) {
                continue;
            }
            for (Fork b : forks) {
                if (b.callCase() == CallCase.NO_AGENT && b.round() == f.round()) {
                    double r = f.mean() / b.mean();
                    min = Double.isNaN(min) ? r : Math.min(min, r);
                    max = Double.isNaN(max) ? r : Math.max(max, r);
                }
            }
        }
        return new double[] {min, max};
    }

    /** A Markdown table: one row per case. */
    String table() {
        StringBuilder t = new StringBuilder();
        t.append("| case | ns/op, mean ± error (99.9%) | × no-agent | × no-agent, per round (min–max) | forks × iterations | what runs |\n");
        t.append("| --- | ---: | ---: | ---: | ---: | --- |\n");
        for (Summary s : summaries()) {
            t.append(String.format(Locale.ROOT, "| %s | %s ± %s | %s | %s | %d × %d | %s |%n",
                s.callCase().id(), num(s.meanNs()), num(s.errorNs()), ratio(s.ratio()),
                Double.isNaN(s.minRoundRatio()) ? "–" : ratio(s.minRoundRatio()) + "–" + ratio(s.maxRoundRatio()),
                s.forks(), s.iterations() / Math.max(1, s.forks()), s.callCase().description()));
        }
        return t.toString();
    }

    /** CSV: one row per case, then one per fork. */
    String csv(String jdk) {
        StringBuilder c = new StringBuilder("row,jdk,case,round,forks,iterations,mean_ns,error_ns_999,ratio_to_no_agent\n");
        for (Summary s : summaries()) {
            c.append(String.format(Locale.ROOT, "case,%s,%s,,%d,%d,%.4f,%.4f,%.4f%n", jdk, s.callCase().id(),
                s.forks(), s.iterations(), s.meanNs(), s.errorNs(), s.ratio()));
        }
        for (Fork f : forks) {
            c.append(String.format(Locale.ROOT, "fork,%s,%s,%d,1,%d,%.4f,,%n", jdk, f.callCase().id(), f.round(),
                f.iterationNs().length, f.mean()));
        }
        return c.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, v >= 100 ? "%.1f" : "%.3f", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f×", v);
    }
}
