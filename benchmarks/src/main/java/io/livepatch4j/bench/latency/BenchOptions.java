package io.livepatch4j.bench.latency;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The latency harness's settings, from the command line of scripts/bench-latency. {@code --quick}
 * changes the defaults (shorter periods, the mixed workload only, no thread sweep, output under
 * results/ so CI never changes tracked files); explicit options still win.
 */
record BenchOptions(boolean quick, double rate, int threads, List<Integer> sweepThreads,
                    List<Workload> workloads, List<Scenario> scenarios, double warmupSeconds,
                    double measureSeconds, double sweepWarmupSeconds, double sweepMeasureSeconds, int keys,
                    long seed, double minGapSeconds, double maxGapSeconds, double disruptAt,
                    long globalTimeoutMillis, Path out, Path work, Path agentJar, Path lp4jJar,
                    Path v1Jar, Path v2Jar, Path nativeTool, List<String> serverOptions,
                    double budgetMinutes, int retries) {

    static final double DEFAULT_RATE = 300;
    static final int DEFAULT_THREADS = 32;

    static BenchOptions parse(String... args) {
        boolean quick = List.of(args).contains("--quick");
        double rate = DEFAULT_RATE;
        int threads = DEFAULT_THREADS;
        List<Integer> sweep = quick ? List.of() : List.of(8, 32, 128);
        List<Workload> workloads = quick ? List.of(Workload.MIXED) : List.of(Workload.SHORT, Workload.MIXED);
        List<Scenario> scenarios = List.of(Scenario.values());
        double warmup = quick ? 5 : 10;
        double measure = quick ? 12 : 40;
        double sweepWarmup = 6;
        double sweepMeasure = 20;
        int keys = 100_000;
        long seed = 42;
        double minGap = 1.2;
        double maxGap = 1.8;
        double disruptAt = 0.3;
        long globalTimeout = 2000;
        Path out = quick ? Path.of("results", "latency-quick") : Path.of("docs", "results");
        Path work = Path.of("benchmarks", "target", "bench-latency", quick ? "quick" : "full");
        Path agent = Path.of("patch-compiler", "target", "livepatch4j-agent.jar");
        Path lp4j = Path.of("patch-compiler", "target", "lp4j.jar");
        Path v1 = Path.of("demo-server", "target", "demo-server-v1.jar");
        Path v2 = Path.of("demo-server", "target", "demo-server-v2.jar");
        Path nativeTool = Path.of("native", "build", "lp4j-native");
        List<String> serverOptions = new ArrayList<>();
        double budget = quick ? 2.6 : 19;
        int retries = quick ? 0 : 1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> { }
                case "--rate" -> rate = positive(a, Double.parseDouble(value(args, ++i, a)));
                case "--threads" -> threads = (int) positive(a, Integer.parseInt(value(args, ++i, a)));
                case "--sweep" -> sweep = ints(value(args, ++i, a));
                case "--no-sweep" -> sweep = List.of();
                case "--workloads" -> workloads = words(value(args, ++i, a)).stream()
                        .map(Workload::parse).toList();
                case "--scenarios" -> scenarios = words(value(args, ++i, a)).stream()
                        .map(Scenario::parse).toList();
                case "--warmup" -> warmup = Double.parseDouble(value(args, ++i, a));
                case "--duration" -> measure = positive(a, Double.parseDouble(value(args, ++i, a)));
                case "--sweep-warmup" -> sweepWarmup = Double.parseDouble(value(args, ++i, a));
                case "--sweep-duration" ->
                        sweepMeasure = positive(a, Double.parseDouble(value(args, ++i, a)));
                case "--keys" -> keys = (int) positive(a, Integer.parseInt(value(args, ++i, a)));
                case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                case "--gap" -> {
                    String[] g = value(args, ++i, a).split("-");
                    minGap = positive(a, Double.parseDouble(g[0]));
                    maxGap = g.length > 1 ? Double.parseDouble(g[1]) : minGap;
                }
                case "--global-timeout-ms" ->
                        globalTimeout = (long) positive(a, Long.parseLong(value(args, ++i, a)));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--work" -> work = Path.of(value(args, ++i, a));
                case "--agent-jar" -> agent = Path.of(value(args, ++i, a));
                case "--lp4j-jar" -> lp4j = Path.of(value(args, ++i, a));
                case "--v1" -> v1 = Path.of(value(args, ++i, a));
                case "--v2" -> v2 = Path.of(value(args, ++i, a));
                case "--native" -> nativeTool = Path.of(value(args, ++i, a));
                case "--server-option" -> serverOptions.add(value(args, ++i, a));
                case "--budget-minutes" -> budget = positive(a, Double.parseDouble(value(args, ++i, a)));
                case "--retries" -> retries = Integer.parseInt(value(args, ++i, a));
                case "--help", "-h" -> throw new IllegalArgumentException(usage());
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
            }
        }
        if (maxGap < minGap) {
            throw new IllegalArgumentException("--gap MIN-MAX needs MIN <= MAX");
        }
        if (warmup < 0 || sweepWarmup < 0) {
            throw new IllegalArgumentException("a warm-up cannot be negative");
        }
        if (workloads.isEmpty() || scenarios.isEmpty()) {
            throw new IllegalArgumentException("name at least one workload and one scenario");
        }
        return new BenchOptions(quick, rate, threads, sweep, workloads, scenarios, warmup, measure,
                sweepWarmup, sweepMeasure, keys, seed, minGap, maxGap, disruptAt, globalTimeout, out, work,
                agent, lp4j, v1, v2, nativeTool, List.copyOf(serverOptions), budget, Math.max(0, retries));
    }

    /** The markdown report. */
    Path report() {
        return out.resolve("latency.md");
    }

    /** CSV, HdrHistogram logs and plots. */
    Path data() {
        return out.resolve("latency");
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + usage());
        }
        return args[i];
    }

    private static double positive(String option, double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException(option + " must be positive, not " + v);
        }
        return v;
    }

    private static List<String> words(String csv) {
        List<String> w = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                w.add(s.strip());
            }
        }
        return w;
    }

    private static List<Integer> ints(String csv) {
        return words(csv).stream().map(Integer::parseInt).toList();
    }

    static String usage() {
        return """
            usage: scripts/bench-latency [--quick] [--rate RPS] [--threads N]
                       [--sweep 8,32,128 | --no-sweep] [--workloads short,mixed]
                       [--scenarios none,local,global,redefine,restart,criu]
                       [--duration S] [--warmup S] [--sweep-duration S] [--sweep-warmup S]
                       [--gap 1.2-1.8] [--global-timeout-ms MS] [--keys N] [--seed N] [--out DIR]
              --quick              every scenario on the mixed workload, 12 s each after 5 s of
                                   warm-up, no sweep; writes results/latency-quick/ (about 2.5 minutes)
              --rate RPS           open-loop request rate (default 300)
              --threads N          the server's worker threads in the main runs (default 32)
              --sweep LIST         worker threads for the none/local/global sweep on the mixed workload
                                   (default 8,32,128; the main runs' count reuses those runs)
              --duration S         measured seconds per scenario (default 40; quick 12)
              --warmup S           seconds of load before the measured period, not counted
                                   (default 10; quick 5)
              --sweep-duration S   measured seconds per sweep run (default 20), --sweep-warmup S (default 6)
              --gap MIN-MAX        seconds between one apply or rollback and the next (default 1.2-1.8)
              --global-timeout-ms  the agent's globalTimeoutMillis (default 2000)
              --out DIR            where latency.md and latency/ go
                                   (default docs/results; quick results/latency-quick)
              --budget-minutes M   the harness's time limit (default 19; quick 2.6): waiting for an idle
                                   machine before a run and repeating a run that other processes
                                   disturbed happen only while the remaining runs still fit in it
              --retries N          repeat a run at most N times when other processes took more than
                                   10% of a CPU during it (default 1; quick 0); the least disturbed run
                                   is kept
              --server-option OPT  one more JVM option for every server (repeatable; for investigations,
                                   e.g. -XX:+PrintCompilation; the report lists them)""";
    }
}
