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
 * case. On a machine shared with other work an iteration in which the benchmark thread lost its
 * core reads far slower and drags the mean, so the median of the same iterations is given too, and
 * ratios to no-agent (from the same run) are given for both. The per-round range shows how much
 * the ratio of medians moved between rounds (each round runs one fork of every case in turn).
 */
final class CallCostResults {

    /** One fork: its case, its round, and the score of each measurement iteration in ns/op. */
    record Fork(CallCase callCase, int round, double[] iterationNs) {
        double mean() {
            return new ListStatistics(iterationNs).getMean();
        }

        double median() {
            return new ListStatistics(iterationNs).getPercentile(50);
        }
    }

    /** One case summarized. {@code ratio} and the round range are NaN without a no-agent baseline. */
    record Summary(CallCase callCase, int forks, long iterations, double meanNs, double errorNs, double medianNs,
                   double ratio, double medianRatio, double minRoundRatio, double maxRoundRatio) {
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
            double medianRatio = base == null ? Double.NaN : s.getPercentile(50) / base.getPercentile(50);
            double[] range = roundRatioRange(e.getKey());
            out.add(new Summary(e.getKey(), forkCount.get(e.getKey()), s.getN(), s.getMean(),
                s.getN() > 1 ? s.getMeanErrorAt(0.999) : Double.NaN, s.getPercentile(50), ratio, medianRatio,
                range[0], range[1]));
        }
        return out;
    }

    /** Min and max over rounds of (this case's fork median / that round's no-agent fork median). */
    private double[] roundRatioRange(CallCase c) {
        double min = Double.NaN;
        double max = Double.NaN;
        for (Fork f : forks) {
            if (f.callCase() != c) {
                continue;
            }
            for (Fork b : forks) {
                if (b.callCase() == CallCase.NO_AGENT && b.round() == f.round()) {
                    double r = f.median() / b.median();
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
        t.append("| case | ns/op, mean ± error (99.9%) | ns/op, median | × no-agent, means | × no-agent, medians "
            + "| × no-agent, medians per round (min–max) | forks × iterations | what runs |\n");
        t.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (Summary s : summaries()) {
            t.append(String.format(Locale.ROOT, "| %s | %s ± %s | %s | %s | %s | %s | %d × %d | %s |%n",
                s.callCase().id(), num(s.meanNs()), num(s.errorNs()), num(s.medianNs()), ratio(s.ratio()),
                ratio(s.medianRatio()),
                Double.isNaN(s.minRoundRatio()) ? "–" : ratio(s.minRoundRatio()) + "–" + ratio(s.maxRoundRatio()),
                s.forks(), s.iterations() / Math.max(1, s.forks()), s.callCase().description()));
        }
        return t.toString();
    }

    /** CSV: one row per case, then one per fork. */
    String csv(String jdk) {
        StringBuilder c = new StringBuilder("row,jdk,case,round,forks,iterations,mean_ns,error_ns_999,median_ns,"
            + "ratio_means,ratio_medians\n");
        for (Summary s : summaries()) {
            c.append(String.format(Locale.ROOT, "case,%s,%s,,%d,%d,%.4f,%.4f,%.4f,%.4f,%.4f%n", jdk, s.callCase().id(),
                s.forks(), s.iterations(), s.meanNs(), s.errorNs(), s.medianNs(), s.ratio(), s.medianRatio()));
        }
        for (Fork f : forks) {
            c.append(String.format(Locale.ROOT, "fork,%s,%s,%d,1,%d,%.4f,,%.4f,,%n", jdk, f.callCase().id(), f.round(),
                f.iterationNs().length, f.mean(), f.median()));
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
