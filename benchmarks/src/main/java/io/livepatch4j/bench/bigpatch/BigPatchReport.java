package io.livepatch4j.bench.bigpatch;

import io.livepatch4j.bench.startup.Stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The figures of one JDK's run as tables (markdown, also printed) and CSV (one row per lp4j run).
 * Where a patch was applied several times, a cell is the median with the range in parentheses.
 */
final class BigPatchReport {

    /** One lp4j run in a workload JVM, with everything measured around it. */
    record Op(String jdk, String kind, String patch, int classes, int rep, String op, double wallMillis,
              ApplyOutcome outcome, WindowFigures.Safepoints safepoints, WindowFigures.Safepoints baselineSafepoints,
              double baselineSeconds, WindowFigures.Throughput throughput, WorkloadJvm.Snapshot first,
              WorkloadJvm.Snapshot before, WorkloadJvm.Snapshot after, double otherCpuPercent) {

        boolean ok() {
            return outcome.exit() == 0;
        }

        double metaspaceDeltaKb() {
            return (after.metaspace() - before.metaspace()) / 1024.0;
        }

        double lastingMetaspaceKb() {
            return (after.metaspace() - first.metaspace()) / 1024.0;
        }
    }

    private final String jdk;
    private final String old;
    private final String neu;
    private final String otherBase;
    private final int reps;
    private final int refusedReps;
    private final BigPatchBench.Pacing pacing;
    private final List<Op> ops = new ArrayList<>();

    BigPatchReport(String jdk, String old, String neu, String otherBase, int reps, int refusedReps,
                   BigPatchBench.Pacing pacing) {
        this.jdk = jdk;
        this.old = old;
        this.neu = neu;
        this.otherBase = otherBase;
        this.reps = reps;
        this.refusedReps = refusedReps;
        this.pacing = pacing;
    }

    void addAll(List<Op> more) {
        ops.addAll(more);
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Guava %s -> %s on %s. One workload JVM per patch size: %d apply and "
                + "rollback in a row (`lp4j apply --pid P --wait --json`, then `lp4j rollback --pid P --wait --json`), "
                + "each run preceded by %.1f s of load alone (the baseline) and followed by the wait for throughput to "
                + "be back to %.0f%% of the baseline (at most %.0f s) and %.1f s more, then two full GCs for the "
                + "Metaspace and class counts; then `lp4j status` as a control (lp4j's own cost, no patch). "
                + "One more JVM per refused patch: it first takes and rolls back the 1-class patch (so that the agent's own "
                + "classes, loaded on first use, are there before), then %d attempt(s). Workload: %d threads over Guava, %s, agent "
                + "`packages=%s`. Times are wall times of the lp4j process, from outside.%n%n",
            old, neu, jdk, reps, pacing.beforeMillis() / 1e3, WindowFigures.RECOVERED * 100,
            pacing.recoveryMaxMillis() / 1e3, pacing.settleMillis() / 1e3, refusedReps,
            WorkloadJvm.THREADS, String.join(" ", WorkloadJvm.HEAP), WorkloadJvm.PREPARED_PACKAGES));
        md.append("#### Apply\n\n");
        md.append(runTable("apply", true));
        md.append("\n#### Rollback\n\n");
        md.append(runTable("rollback", false));
        md.append("\n#### Metaspace and classes (after two full GCs)\n\n");
        md.append(memoryTable());
        md.append("\n#### Refused big patches\n\n");
        md.append(refusedTable());
        md.append('\n').append(background()).append('\n');
        return md.toString();
    }

    private String runTable(String op, boolean withAgent) {
        StringBuilder t = new StringBuilder();
        t.append("| patch | classes | runs (ok) | lp4j wall (ms) |").append(withAgent ? " agent apply (ms) | of which the patch's code (ms) |" : "")
            .append(" transition (ms) | safepoints, not GC | their pause (ms) | which (all runs) | GC pauses | "
                + "longest safepoint, any (ms) | Deoptimize handshakes | slowest 100 ms / before | mean during / before | "
                + "back to 90% after (s) | then / before (95% CI) |\n");
        t.append("|---|--:|--:|--:|").append(withAgent ? "--:|--:|" : "").append("--:|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|\n");
        Map<String, List<Op>> byPatch = group(o -> o.kind().equals("apply") && o.op().equals(op));
        for (List<Op> rows : byPatch.values()) {
            t.append(row(rows, withAgent));
        }
        if (op.equals("apply")) {
            List<Op> control = ops.stream().filter(o -> o.op().equals("status")).toList();
            if (!control.isEmpty()) {
                t.append(row(control, withAgent).replaceFirst("^\\| [^|]* \\| [^|]* \\|",
                    "| lp4j status (control, one per JVM) | 0 |"));
            }
        }
        return t.toString();
    }

    private String row(List<Op> rows, boolean withAgent) {
        Op first = rows.get(0);
        List<Op> ok = rows.stream().filter(Op::ok).toList();
        StringBuilder r = new StringBuilder();
        r.append("| ").append(first.patch()).append(" | ").append(first.classes()).append(" | ").append(rows.size())
            .append(" (").append(ok.size()).append(") | ").append(cell(rows, Op::wallMillis, "%.0f")).append(" | ");
        if (withAgent) {
            r.append(cell(rows, o -> o.outcome().agentApplyMillis().orElse(Double.NaN), "%.0f")).append(" | ")
                .append(cell(rows, o -> o.outcome().patchCodeMillis().orElse(Double.NaN), "%.0f")).append(" | ");
        }
        r.append(cell(rows, o -> o.op().equals("status") ? Double.NaN : o.outcome().transitionMillis().orElse(Double.NaN),
                "%.0f")).append(" | ")
            .append(cell(rows, o -> o.safepoints().other(), "%.0f")).append(" | ")
            .append(cell(rows, o -> o.safepoints().otherMillis(), "%.1f")).append(" | ")
            .append(names(rows)).append(" | ")
            .append(cell(rows, o -> o.safepoints().gc(), "%.0f")).append(" | ")
            .append(cell(rows, o -> o.safepoints().longestMillis(), "%.1f")).append(" | ")
            .append(cell(rows, o -> o.safepoints().deoptimizations(), "%.0f")).append(" | ")
            .append(cell(rows, o -> o.throughput().minRatio(), "%.2f")).append(" | ")
            .append(cell(rows, o -> o.throughput().meanRatio(), "%.2f")).append(" | ")
            .append(recoveryCell(rows)).append(" | ")
            .append(afterCell(rows)).append(" |\n");
        return r.toString();
    }

    /**
     * Per size: apply #1 in the fresh JVM (which includes what the agent loads on its first use),
     * the later applies (after a rollback of the same patch), and what each apply and rollback leaves.
     */
    private String memoryTable() {
        StringBuilder t = new StringBuilder();
        t.append("| patch | classes | Metaspace before (MB) | apply #1: + Metaspace (KB) | + loaded | + hidden | "
            + "applies #2+: + Metaspace per class (KB) | + loaded | + hidden | apply + rollback, vs before the apply: "
            + "Metaspace (KB) | loaded | hidden |\n");
        t.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        Map<String, List<Op>> applies = group(o -> o.kind().equals("apply") && o.op().equals("apply"));
        Map<String, List<Op>> rollbacks = group(o -> o.kind().equals("apply") && o.op().equals("rollback"));
        for (Map.Entry<String, List<Op>> e : applies.entrySet()) {
            Op a1 = e.getValue().get(0);
            List<Op> later = e.getValue().subList(1, e.getValue().size());
            // a rollback's "after" against its apply's "before": what one apply and its rollback leave
            List<Op> pairs = new ArrayList<>();
            for (Op rb : rollbacks.getOrDefault(e.getKey(), List.of())) {
                e.getValue().stream().filter(a -> a.rep() == rb.rep()).findFirst().ifPresent(a -> pairs.add(
                    new Op(rb.jdk(), rb.kind(), rb.patch(), rb.classes(), rb.rep(), "apply+rollback", rb.wallMillis(),
                        rb.outcome(), rb.safepoints(), rb.baselineSafepoints(), rb.baselineSeconds(), rb.throughput(),
                        rb.first(), a.before(), rb.after(), rb.otherCpuPercent())));
            }
            t.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %+.0f | %+d | %s | %s | %s | %s | %s | %s | %s |%n",
                a1.patch(), a1.classes(), a1.before().metaspace() / 1048576.0, a1.metaspaceDeltaKb(),
                a1.after().loaded() - a1.before().loaded(), hidden(a1.after().hidden(), a1.before().hidden()),
                later.isEmpty() ? "-" : cell(later, o -> o.metaspaceDeltaKb() / o.classes(), "%.1f"),
                later.isEmpty() ? "-" : cell(later, o -> o.after().loaded() - o.before().loaded(), "%+.0f"),
                later.isEmpty() ? "-" : cell(later, o -> o.after().hidden() - o.before().hidden(), "%+.0f"),
                pairs.isEmpty() ? "-" : cell(pairs, Op::metaspaceDeltaKb, "%+.0f"),
                pairs.isEmpty() ? "-" : cell(pairs, o -> o.after().loaded() - o.before().loaded(), "%+.0f"),
                pairs.isEmpty() ? "-" : cell(pairs, o -> o.after().hidden() - o.before().hidden(), "%+.0f")));
        }
        return t.toString();
    }

    private String refusedTable() {
        StringBuilder t = new StringBuilder();
        t.append("| patch | classes | attempt | exit | lp4j wall (ms) | safepoints, not GC | their pause (ms) | which | "
            + "GC pauses | longest safepoint, any (ms) | Deoptimize handshakes | slowest 100 ms / before | "
            + "mean during / before | back to 90% after (s) | then / before (95% CI) | "
            + "after GC vs before the attempt: Metaspace (KB) | loaded | hidden | lasting, vs before attempt #1: "
            + "Metaspace (KB) | refusal |\n");
        t.append("|---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        for (Op o : ops) {
            if (o.kind().equals("apply") || o.op().startsWith("prime")) {
                continue;
            }
            t.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.0f | %d | %.1f | %s | %d | %.1f | %d | %.2f | "
                    + "%.2f | %s | %s | %+.0f | %+d | %s | %+.0f | %s |%n",
                o.patch(), o.classes(), o.rep(), o.outcome().exit(), o.wallMillis(), o.safepoints().other(),
                o.safepoints().otherMillis(), names(List.of(o)), o.safepoints().gc(), o.safepoints().longestMillis(),
                o.safepoints().deoptimizations(), o.throughput().minRatio(), o.throughput().meanRatio(),
                recoveryCell(List.of(o)), afterCell(List.of(o)), o.metaspaceDeltaKb(),
                o.after().loaded() - o.before().loaded(), hidden(o.after().hidden(), o.before().hidden()),
                o.lastingMetaspaceKb(), BigPatchBench.abbreviate(o.outcome().error(), 160).replace("|", "\\|")));
        }
        return t.toString();
    }

    /** The safepoints (not GC) and GC pauses per second in the baselines: what the load alone causes. */
    private String background() {
        double seconds = ops.stream().mapToDouble(Op::baselineSeconds).sum();
        int other = ops.stream().mapToInt(o -> o.baselineSafepoints().other()).sum();
        int gc = ops.stream().mapToInt(o -> o.baselineSafepoints().gc()).sum();
        Map<String, Integer> names = new TreeMap<>();
        ops.forEach(o -> o.baselineSafepoints().otherNames().forEach((k, v) -> names.merge(k, v, Integer::sum)));
        double cpu = ops.stream().mapToDouble(Op::otherCpuPercent).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, "Background, in the %.0f s of baselines (load alone): %.2f safepoints not GC "
                + "per second (%s), %.1f GC pauses per second. Other processes took up to %.0f%% of one CPU during a "
                + "workload JVM's measured part (the machine is shared; before each JVM the run waits up to %.0f s for "
                + "them to take less than %.0f%%). Throughput columns: tasks per second in 100 ms "
                + "buckets against the baseline's; \"back to 90%%\": from the end of the lp4j run to the first 0.5 s at "
                + "90%% of the baseline or more; \"then / before\": the median bucket from then on (at least %.1f s) "
                + "over the median bucket before, with a bootstrap interval.%n",
            seconds, other / seconds, names.isEmpty() ? "none" : format(names), gc / seconds, cpu,
            pacing.quietWaitMillis() / 1e3, io.livepatch4j.bench.latency.QuietMachine.IDLE_BELOW_PCT, pacing.settleMillis() / 1e3);
    }

    String csv() {
        StringBuilder c = new StringBuilder("jdk,case,patch,classes,rep,op,exit,wall_ms,agent_apply_ms,transition_ms,"
            + "timings,safepoints_not_gc,not_gc_pause_ms,not_gc_names,gc_pauses,gc_pause_ms,longest_safepoint_ms,handshakes,"
            + "handshake_names,deoptimize_handshakes,baseline_tasks_per_s,slowest_bucket_ratio,mean_ratio,recovery_s,after_ratio,after_low,after_high,metaspace_first,"
            + "metaspace_before,metaspace_after,loaded_first,loaded_before,loaded_after,hidden_first,hidden_before,"
            + "hidden_after,unloaded_after,other_cpu_pct,error\n");
        for (Op o : ops) {
            WindowFigures.Safepoints s = o.safepoints();
            WindowFigures.Throughput tp = o.throughput();
            c.append(String.join(",", o.jdk(), o.kind(), o.patch(), String.valueOf(o.classes()), String.valueOf(o.rep()),
                o.op(), String.valueOf(o.outcome().exit()), num(o.wallMillis()), num(o.outcome().agentApplyMillis()),
                num(o.outcome().transitionMillis()), quote(o.outcome().timingsText()), String.valueOf(s.other()),
                num(s.otherMillis()), quote(format(s.otherNames())), String.valueOf(s.gc()), num(s.gcMillis()),
                num(s.longestMillis()), String.valueOf(s.handshakes()), quote(format(s.handshakeNames())),
                String.valueOf(s.deoptimizations()), num(tp.baseline()), num(tp.minRatio()), num(tp.meanRatio()),
                Double.isInfinite(tp.recoverySeconds()) ? "" : num(tp.recoverySeconds()), num(tp.afterRatio()), num(tp.afterLow()), num(tp.afterHigh()),
                String.valueOf(o.first().metaspace()), String.valueOf(o.before().metaspace()),
                String.valueOf(o.after().metaspace()), String.valueOf(o.first().loaded()),
                String.valueOf(o.before().loaded()), String.valueOf(o.after().loaded()),
                String.valueOf(o.first().hidden()), String.valueOf(o.before().hidden()),
                String.valueOf(o.after().hidden()), String.valueOf(o.after().unloaded()), num(o.otherCpuPercent()),
                quote(o.outcome().error()))).append('\n');
        }
        return c.toString();
    }

    private Map<String, List<Op>> group(java.util.function.Predicate<Op> which) {
        return ops.stream().filter(which).collect(Collectors.groupingBy(Op::patch, LinkedHashMap::new, Collectors.toList()));
    }

    /** The median of the runs' values, with the range when there are several ("412 (380–455)"); "n/a" when none. */
    private static String cell(List<Op> rows, ToDoubleFunction<Op> f, String format) {
        List<Double> xs = rows.stream().mapToDouble(f).filter(x -> !Double.isNaN(x)).boxed().toList();
        if (xs.isEmpty()) {
            return "n/a";
        }
        String median = String.format(Locale.ROOT, format, Stats.median(xs));
        if (xs.size() == 1) {
            return median;
        }
        return median + " (" + String.format(Locale.ROOT, format, Stats.quantile(xs, 0)) + "–"
            + String.format(Locale.ROOT, format, Stats.quantile(xs, 1)) + ")";
    }

    /** Seconds until throughput was back, median (range); "> N" where it was not back within the wait. */
    private String recoveryCell(List<Op> rows) {
        String c = cell(rows, o -> Math.min(o.throughput().recoverySeconds(), pacing.recoveryMaxMillis() / 1e3 + 0.05),
            "%.1f");
        String never = String.format(Locale.ROOT, "%.1f", pacing.recoveryMaxMillis() / 1e3 + 0.05);
        return c.replace(never, "> " + pacing.recoveryMaxMillis() / 1000);
    }

    /** The median of the runs' after/before ratios, with the interval of the run whose ratio is that median. */
    private static String afterCell(List<Op> rows) {
        List<Op> known = new ArrayList<>(rows.stream().filter(o -> !Double.isNaN(o.throughput().afterRatio())).toList());
        if (known.isEmpty()) {
            return "n/a";
        }
        known.sort((a, b) -> Double.compare(a.throughput().afterRatio(), b.throughput().afterRatio()));
        WindowFigures.Throughput m = known.get((known.size() - 1) / 2).throughput();
        return String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", m.afterRatio(), m.afterLow(), m.afterHigh());
    }

    private static String names(List<Op> rows) {
        Map<String, Integer> all = new TreeMap<>();
        rows.forEach(o -> o.safepoints().otherNames().forEach((k, v) -> all.merge(k, v, Integer::sum)));
        return all.isEmpty() ? "none" : format(all);
    }

    private static String format(Map<String, Integer> names) {
        return names.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String hidden(int after, int before) {
        return after < 0 || before < 0 ? "n/a" : String.format(Locale.ROOT, "%+d", after - before);
    }

    private static String num(double x) {
        return Double.isNaN(x) ? "" : String.format(Locale.ROOT, "%.3f", x);
    }

    private static String num(OptionalDouble x) {
        return x.isPresent() ? num(x.getAsDouble()) : "";
    }

    private static String quote(String s) {
        return s.isEmpty() ? "" : "\"" + s.replace("\"", "\"\"").replaceAll("\\s+", " ") + "\"";
    }
}
