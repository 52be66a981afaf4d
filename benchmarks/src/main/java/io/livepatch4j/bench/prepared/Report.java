package io.livepatch4j.bench.prepared;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The results page's tables (markdown) and the CSV of every run. */
final class Report {

    static final double TARGET = 1.02;

    private static final List<String> CSV_COLUMNS = List.of("cost", "throughput_per_s", "warmup_s", "alloc_per_op", "gc_ms",
        "compile_ms", "code_cache_kb", "classes", "server_cpu_pct", "cost_with_jit", "cost_from_ticks", "p50_ms", "p99_ms", "failed", "kept_up", "other_cpu_pct", "checksum");

    private Report() {}

    static String table(List<PairResult> results, List<String> cases) {
        StringBuilder t = new StringBuilder();
        t.append("| workload | compared | pairs | without agent, median | prepared, median | **cost: prepared / without**, "
            + "geo. mean (95% CI) | target <= ").append(TARGET).append("x | wall clock: prepared / without (95% CI) |\n");
        t.append("|---|---|---|---|---|---|---|---|\n");
        StringBuilder side = new StringBuilder();
        side.append("| workload | allocated per op, without / prepared | compiling while measured (ms) | code cache (KB) "
            + "| classes loaded | warm-up (s) | others' CPU (% of one CPU) |\n");
        side.append("|---|---|---|---|---|---|---|\n");
        for (String c : cases) {
            List<PairResult> pairs = results.stream().filter(r -> r.caseName().equals(c)).toList();
            if (pairs.isEmpty()) {
                continue;
            }
            boolean server = "demo".equals(c);
            PairedRatio cost = PairedRatio.of(values(pairs, PairResult::costRatio));
            PairedRatio wall = PairedRatio.of(values(pairs, PairResult::wallRatio));
            t.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f us | %.2f us | **%.3fx** (%.3f-%.3f) | %s | %s %.3fx (%.3f-%.3f) |%n",
                label(c), server ? "server process CPU per request, JIT threads apart" : "workload thread CPU per operation", cost.pairs(),
                median(values(pairs, p -> p.cost(false))), median(values(pairs, p -> p.cost(true))),
                cost.ratio(), cost.low(), cost.high(), cost.verdict(TARGET), server ? "p50 latency" : "time per op",
                wall.ratio(), wall.low(), wall.high()));
            if (!server) {
                side.append(String.format(Locale.ROOT, "| %s | %s / %s B | %s / %s | %s / %s | %s / %s | %s / %s | %s |%n",
                    label(c), med(pairs, PairResult::none, "alloc_per_op", "%.0f"), med(pairs, PairResult::agent, "alloc_per_op", "%.0f"),
                    med(pairs, PairResult::none, "compile_ms", "%.0f"), med(pairs, PairResult::agent, "compile_ms", "%.0f"),
                    med(pairs, PairResult::none, "code_cache_kb", "%.0f"), med(pairs, PairResult::agent, "code_cache_kb", "%.0f"),
                    med(pairs, PairResult::none, "classes", "%.0f"), med(pairs, PairResult::agent, "classes", "%.0f"),
                    med(pairs, PairResult::none, "warmup_s", "%.1f"), med(pairs, PairResult::agent, "warmup_s", "%.1f"),
                    med(pairs, PairResult::none, "other_cpu_pct", "%.0f")));
            }
        }
        List<PairResult> d = demos(results);
        String demo = d.isEmpty() ? "" : String.format(Locale.ROOT, "%n%nDemo server, medians without / prepared: server CPU "
                + "%s / %s %% of one CPU, JIT compiler threads while measured %s / %s ms, p50 %s / %s ms, p99 %s / %s ms; warm-up "
                + "%s s, others' CPU %s %% of one CPU; pairs in which a server answered less than 95%% of the offered rate: %d of %d.",
            med(d, PairResult::none, "server_cpu_pct", "%.1f"), med(d, PairResult::agent, "server_cpu_pct", "%.1f"),
            med(d, PairResult::none, "compile_ms", "%.0f"), med(d, PairResult::agent, "compile_ms", "%.0f"),
            med(d, PairResult::none, "p50_ms", "%.2f"), med(d, PairResult::agent, "p50_ms", "%.2f"),
            med(d, PairResult::none, "p99_ms", "%.2f"), med(d, PairResult::agent, "p99_ms", "%.2f"),
            med(d, PairResult::none, "warmup_s", "%.0f"), med(d, PairResult::none, "other_cpu_pct", "%.0f"),
            d.stream().filter(p -> "no".equals(p.none().get("kept_up")) || "no".equals(p.agent().get("kept_up"))).count(), d.size());
        return t + "\nWithout the agent / prepared, medians over the pairs:\n\n" + side
            + demo + "\n";
    }

    static String csv(List<PairResult> results) {
        StringBuilder s = new StringBuilder("case,pair,setting,pair_cost_ratio,pair_wall_ratio");
        for (String k : CSV_COLUMNS) {
            s.append(',').append(k);
        }
        s.append('\n');
        for (PairResult r : results) {
            for (boolean agent : new boolean[] {false, true}) {
                s.append(String.format(Locale.ROOT, "%s,%d,%s,%.4f,%.4f", r.caseName(), r.pair(), agent ? "prepared" : "none",
                    r.costRatio(), r.wallRatio()));
                Map<String, String> run = agent ? r.agent() : r.none();
                for (String k : CSV_COLUMNS) {
                    s.append(',').append(run.getOrDefault(k, ""));
                }
                s.append('\n');
            }
        }
        return s.toString();
    }

    private static List<PairResult> demos(List<PairResult> results) {
        return results.stream().filter(r -> r.caseName().equals("demo")).toList();
    }

    private static String label(String c) {
        return "demo".equals(c) ? "demo server (Jetty 12), open loop" : Workloads.of(c).description;
    }

    private static List<Double> values(List<PairResult> pairs, Function<PairResult, Double> f) {
        return pairs.stream().map(f).toList();
    }

    private static String med(List<PairResult> pairs, Function<PairResult, Map<String, String>> run, String key, String format) {
        List<Double> v = new ArrayList<>();
        for (PairResult p : pairs) {
            String s = run.apply(p).get(key);
            if (s != null && !s.isEmpty() && !"NaN".equals(s)) {
                v.add(Double.parseDouble(s));
            }
        }
        return v.isEmpty() ? "-" : String.format(Locale.ROOT, format, median(v));
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
