package io.livepatch4j.bench.startup;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** Medians, quartiles and a bootstrap interval for a ratio of medians. */
public final class Stats {

    private Stats() {}

    public static double median(List<Double> xs) {
        return quantile(xs, 0.5);
    }

    public static double quantile(List<Double> xs, double q) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        double pos = q * (s.size() - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return s.get(lo) + (s.get(hi) - s.get(lo)) * (pos - lo);
    }

    /** "812 ms (790-840)". */
    public static String summary(List<Double> xs) {
        return String.format(Locale.ROOT, "%.0f ms (%.0f-%.0f)", median(xs), quantile(xs, 0.25), quantile(xs, 0.75));
    }

    /** The 2.5th and 97.5th percentiles of median(a)/median(b) over 2,000 resamples of each (fixed seed). */
    public static double[] ratioInterval(List<Double> a, List<Double> b) {
        SplittableRandom random = new SplittableRandom(15);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ratios.add(median(resample(a, random)) / median(resample(b, random)));
        }
        return new double[] {quantile(ratios, 0.025), quantile(ratios, 0.975)};
    }

    private static List<Double> resample(List<Double> xs, SplittableRandom random) {
        List<Double> r = new ArrayList<>(xs.size());
        for (int i = 0; i < xs.size(); i++) {
            r.add(xs.get(random.nextInt(xs.size())));
        }
        return r;
    }
}
