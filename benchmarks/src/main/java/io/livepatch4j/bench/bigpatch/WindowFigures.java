package io.livepatch4j.bench.bigpatch;

import io.livepatch4j.bench.safepoints.SafepointLog;
import io.livepatch4j.bench.startup.Stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happened in the workload JVM during one lp4j run, from its safepoint log and its ticks: the
 * global safepoints (those of garbage collection apart, which the load's allocation causes all the
 * time) and handshakes that ran at least partly inside the run, and the throughput (tasks per second)
 * inside it, against the seconds before.
 */
final class WindowFigures {

    private WindowFigures() {}

    /**
     * VM operations inside a span. GC pauses are counted apart: under this load G1 collects the young
     * generation several times a second whatever lp4j does; every other safepoint is listed by name.
     */
    record Safepoints(int all, double allMillis, double longestMillis, int gc, double gcMillis, int other,
                      double otherMillis, Map<String, Integer> otherNames, int handshakes,
                      Map<String, Integer> handshakeNames) {

        /** "Deoptimize" handshakes: each makes compiled code that depended on what changed run interpreted. */
        int deoptimizations() {
            return handshakeNames.getOrDefault("Deoptimize", 0);
        }
    }

    /**
     * Throughput in 100 ms buckets (between consecutive ticks). {@code baseline}: tasks/s over the
     * seconds before the run; {@code minRatio}: the slowest bucket overlapping the run, over the
     * baseline; {@code meanRatio}: tasks/s over the whole run, over the baseline;
     * {@code recoverySeconds}: from the run's end to the first {@link #RECOVERY_WINDOW_NANOS} at
     * {@link #RECOVERED} of the baseline or more (infinite if not before the measurement ended: after
     * a big patch the JIT compiles the code it deoptimized again); {@code afterRatio}: the median
     * bucket from then on over the median bucket before, with its 95% bootstrap interval (the steady
     * cost of the code the run left live).
     */
    record Throughput(double baseline, double minRatio, double meanRatio, double recoverySeconds, double afterRatio,
                      double afterLow, double afterHigh) {
    }

    /** "Recovered": a 0.5 s window at 90% of the baseline's throughput. */
    static final double RECOVERED = 0.9;
    static final long RECOVERY_WINDOW_NANOS = 500_000_000L;
    /** When throughput did not recover, "after" is the last second measured. */
    static final long LAST_SECOND_NANOS = 1_000_000_000L;

    /** Whether a safepoint operation is a garbage collection's (G1, Serial, Parallel, Z, Shenandoah). */
    static boolean isGc(String name) {
        return name.startsWith("G1") || name.contains("Collect") || name.startsWith("Z") || name.startsWith("Shenandoah")
            || name.startsWith("ParallelGC") || name.startsWith("GenCollect");
    }

    static Safepoints safepoints(List<SafepointLog.VmOperation> ops, long start, long end) {
        int all = 0;
        int gc = 0;
        int hs = 0;
        long allNanos = 0;
        long gcNanos = 0;
        long longest = 0;
        Map<String, Integer> otherNames = new TreeMap<>();
        Map<String, Integer> hsNames = new TreeMap<>();
        for (SafepointLog.VmOperation op : ops) {
            if (op.startNanos() > end || op.endNanos() < start) {
                continue;
            }
            if (op.kind() == SafepointLog.Kind.HANDSHAKE) {
                hs++;
                hsNames.merge(op.name(), 1, Integer::sum);
                continue;
            }
            all++;
            allNanos += op.durationNanos();
            longest = Math.max(longest, op.durationNanos());
            if (isGc(op.name())) {
                gc++;
                gcNanos += op.durationNanos();
            } else {
                otherNames.merge(op.name(), 1, Integer::sum);
            }
        }
        return new Safepoints(all, allNanos / 1e6, longest / 1e6, gc, gcNanos / 1e6, all - gc, (allNanos - gcNanos) / 1e6,
            otherNames, hs, hsNames);
    }

    static Throughput throughput(List<WorkloadJvm.Tick> ticks, long baselineStart, long start, long end, long afterEnd) {
        List<Double> before = buckets(ticks, baselineStart, start);
        double baseline = rate(ticks, baselineStart, start);
        double recovery = recoverySeconds(ticks, end, afterEnd, baseline);
        long settled = Double.isInfinite(recovery) ? afterEnd - LAST_SECOND_NANOS : end + (long) (recovery * 1e9);
        List<Double> after = buckets(ticks, settled, afterEnd);
        double min = Double.NaN;
        for (int i = 1; i < ticks.size(); i++) {
            WorkloadJvm.Tick a = ticks.get(i - 1);
            WorkloadJvm.Tick b = ticks.get(i);
            if (b.nanos() > start && a.nanos() < end) {
                double r = (b.tasks() - a.tasks()) * 1e9 / (b.nanos() - a.nanos());
                min = Double.isNaN(min) ? r : Math.min(min, r);
            }
        }
        double afterRatio = Double.NaN;
        double[] ci = {Double.NaN, Double.NaN};
        if (before.size() >= 3 && after.size() >= 3 && Stats.median(before) > 0) {
            afterRatio = Stats.median(after) / Stats.median(before);
            ci = Stats.ratioInterval(after, before);
        }
        return new Throughput(baseline, min / baseline, rate(ticks, start, end) / baseline, recovery, afterRatio, ci[0],
            ci[1]);
    }

    /**
     * Seconds from {@code end} to the first tick that starts a window of {@link #RECOVERY_WINDOW_NANOS},
     * ending by {@code limit}, whose throughput is {@link #RECOVERED} of {@code baseline} or more;
     * infinite if there is none.
     */
    static double recoverySeconds(List<WorkloadJvm.Tick> ticks, long end, long limit, double baseline) {
        for (int i = 0; i < ticks.size(); i++) {
            WorkloadJvm.Tick a = ticks.get(i);
            if (a.nanos() < end) {
                continue;
            }
            for (int j = i + 1; j < ticks.size() && ticks.get(j).nanos() <= limit; j++) {
                WorkloadJvm.Tick b = ticks.get(j);
                if (b.nanos() - a.nanos() >= RECOVERY_WINDOW_NANOS) {
                    if ((b.tasks() - a.tasks()) * 1e9 / (b.nanos() - a.nanos()) >= RECOVERED * baseline) {
                        return (a.nanos() - end) / 1e9;
                    }
                    break;
                }
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** Tasks per second of the 100 ms buckets that lie wholly inside [from, to]. */
    static List<Double> buckets(List<WorkloadJvm.Tick> ticks, long from, long to) {
        List<Double> rates = new ArrayList<>();
        for (int i = 1; i < ticks.size(); i++) {
            WorkloadJvm.Tick a = ticks.get(i - 1);
            WorkloadJvm.Tick b = ticks.get(i);
            if (a.nanos() >= from && b.nanos() <= to) {
                rates.add((b.tasks() - a.tasks()) * 1e9 / (b.nanos() - a.nanos()));
            }
        }
        return rates;
    }

    /** Tasks per second over [from, to], the task count interpolated between the ticks around each end. */
    static double rate(List<WorkloadJvm.Tick> ticks, long from, long to) {
        return (tasksAt(ticks, to) - tasksAt(ticks, from)) * 1e9 / (to - from);
    }

    private static double tasksAt(List<WorkloadJvm.Tick> ticks, long nanos) {
        if (ticks.isEmpty()) {
            return Double.NaN;
        }
        if (nanos <= ticks.get(0).nanos()) {
            return ticks.get(0).tasks();
        }
        for (int i = 1; i < ticks.size(); i++) {
            WorkloadJvm.Tick a = ticks.get(i - 1);
            WorkloadJvm.Tick b = ticks.get(i);
            if (nanos <= b.nanos()) {
                return a.tasks() + (b.tasks() - a.tasks()) * (double) (nanos - a.nanos()) / (b.nanos() - a.nanos());
            }
        }
        return ticks.get(ticks.size() - 1).tasks();
    }
}
