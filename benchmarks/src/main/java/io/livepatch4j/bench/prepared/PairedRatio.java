package io.livepatch4j.bench.prepared;

import java.util.List;

/**
 * The cost of the agent as a ratio with a 95% confidence interval, from paired runs: each pair is a
 * run without the agent and one with it, back to back, so drift of a shared machine falls on both.
 * The interval is Student's t on the per-pair log ratios (log(with/without), n-1 degrees of freedom),
 * exponentiated: a geometric mean ratio, which treats a 2% cost and a 2% gain alike.
 *
 * @param ratio the geometric mean of with/without over the pairs
 * @param low   the lower end of the 95% interval
 * @param high  the upper end
 * @param pairs how many pairs
 */
record PairedRatio(double ratio, double low, double high, int pairs) {

    /** Student's t, 97.5th percentile, for 1 to 30 degrees of freedom. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042};

    /** From each pair's ratio, with over without. */
    static PairedRatio of(List<Double> ratios) {
        int n = ratios.size();
        if (n < 2) {
            return new PairedRatio(n == 1 ? ratios.get(0) : Double.NaN, Double.NaN, Double.NaN, n);
        }
        double[] logs = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            logs[i] = Math.log(ratios.get(i));
            mean += logs[i];
        }
        mean /= n;
        double ss = 0;
        for (double l : logs) {
            ss += (l - mean) * (l - mean);
        }
        double half = t975(n - 1) * Math.sqrt(ss / (n - 1) / n);
        return new PairedRatio(Math.exp(mean), Math.exp(mean - half), Math.exp(mean + half), n);
    }

    static double t975(int df) {
        return df <= T975.length ? T975[df - 1] : 1.960 + 2.4 / df;
    }

    /** Within {@code target} (the whole interval at or below it), above it (the whole interval above), or not settled. */
    String verdict(double target) {
        if (Double.isNaN(high)) {
            return "too few pairs";
        }
        if (high <= target) {
            return "within " + target + "x";
        }
        if (low > target) {
            return "above " + target + "x";
        }
        return "not settled (interval spans " + target + "x)";
    }
}
