package io.livepatch4j.bench.latency;

import io.livepatch4j.bench.MainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The latency harness's settings, from the command line of scripts/bench-latency. {@code --quick}
 * changes the defaults (shorter periods, the mixed workload only, no thread sweep, output under
 * results/ so CI never changes tracked files); explicit options still win, so the options whose
 * default --quick changes are null until {@link #parse} settles them.
 */
@Command(name = "scripts/bench-latency", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Latency under an open-loop load while patches are applied every ~1.5 s, per strategy, "
        + "against no patching, a restart and a CRIU restore.")
final class BenchOptions {

    static final double DEFAULT_RATE = 300;
    static final int DEFAULT_THREADS = 32;

    @Option(names = "--quick", description = "every scenario on the mixed workload, 12 s each after 5 s of warm-up, "
        + "no sweep; writes results/latency-quick/ (about 3 minutes)")
    boolean quick;

    @Option(names = "--rate", paramLabel = "RPS", defaultValue = "300",
        description = "open-loop request rate (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "32",
        description = "the server's worker threads in the main runs (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--sweep", paramLabel = "LIST", split = ",", description = "worker threads for the "
        + "none/local/global sweep on the mixed workload (default: 8,32,128; --quick none; the main runs' count "
        + "reuses those runs)")
    List<Integer> sweepThreads;

    @Option(names = "--no-sweep", description = "no thread sweep")
    boolean noSweep;

    @Option(names = "--workloads", paramLabel = "LIST", split = ",", converter = WorkloadWord.class,
        description = "short, mixed (default: both; --quick mixed)")
    List<Workload> workloads;

    @Option(names = "--scenarios", paramLabel = "LIST", split = ",", converter = ScenarioWord.class,
        description = "none, local, global, redefine, restart, criu, criu-jvm (default: all)")
    List<Scenario> scenarios = List.of(Scenario.values());

    @Option(names = "--duration", paramLabel = "S", description = "measured seconds per scenario (default: 40; --quick 12)")
    Double measureSeconds;

    @Option(names = "--warmup", paramLabel = "S", description = "seconds of load before the measured period, not counted "
        + "(default: 10; --quick 5)")
    Double warmupSeconds;

    @Option(names = "--sweep-duration", paramLabel = "S", defaultValue = "20",
        description = "measured seconds per sweep run (default: ${DEFAULT-VALUE})")
    double sweepMeasureSeconds;

    @Option(names = "--sweep-warmup", paramLabel = "S", defaultValue = "6",
        description = "warm-up seconds per sweep run (default: ${DEFAULT-VALUE})")
    double sweepWarmupSeconds;

    @Option(names = "--keys", paramLabel = "N", defaultValue = "100000",
        description = "keys in the server's store (default: ${DEFAULT-VALUE})")
    int keys;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
        description = "the seed of the patch schedule and the workload (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--gap", paramLabel = "MIN-MAX", defaultValue = "1.2-1.8",
        description = "seconds between one apply or rollback and the next (default: ${DEFAULT-VALUE})")
    String gap;

    @Option(names = "--global-timeout-ms", paramLabel = "MS", defaultValue = "2000",
        description = "the agent's globalTimeoutMillis (default: ${DEFAULT-VALUE})")
    long globalTimeoutMillis;

    @Option(names = "--out", paramLabel = "DIR", description = "where latency.md and latency/ go "
        + "(default: docs/results; --quick results/latency-quick)")
    Path out;

    @Option(names = "--work", paramLabel = "DIR", description = "logs and scratch files "
        + "(default: benchmarks/target/bench-latency/full; --quick .../quick)")
    Path work;

    @picocli.CommandLine.Mixin
    io.livepatch4j.bench.BuiltJars jars;

    @Option(names = "--native", paramLabel = "PATH", defaultValue = "native/build/lp4j-native",
        description = "lp4j-native, for the CRIU scenario (default: ${DEFAULT-VALUE})")
    Path nativeTool;

    @Option(names = "--server-option", paramLabel = "OPT", description = "one more JVM option for every server "
        + "(repeatable; for investigations, e.g. -XX:+PrintCompilation; the report lists them)")
    List<String> serverOptions = new ArrayList<>();

    @Option(names = "--budget-minutes", paramLabel = "M", description = "the harness's time limit (default: 21; "
        + "--quick 3): waiting for an idle machine before a run and repeating a run that other processes disturbed "
        + "happen only while the remaining runs still fit in it")
    Double budgetMinutes;

    @Option(names = "--retries", paramLabel = "N", description = "repeat a run at most N times when other processes "
        + "took more than 10%% of a CPU during it (default: 1; --quick 0); the least disturbed run is kept")
    Integer retries;

    private double minGapSeconds;
    private double maxGapSeconds;

    /** When in a measured period a restart or checkpoint-restore scenario disrupts the server, as a fraction of it. */
    private static final double DISRUPT_AT = 0.3;

    /** The options in {@code args}; null when they asked for help (printed). */
    static BenchOptions parseOrHelp(String... args) {
        BenchOptions o = MainOptions.parse(new BenchOptions(), args);
        return o == null ? null : o.settle();
    }

    /** The options in {@code args}, which must not ask for help. */
    static BenchOptions parse(String... args) {
        BenchOptions o = parseOrHelp(args);
        if (o == null) {
            throw new IllegalArgumentException("help was asked for");
        }
        return o;
    }

    /** Fills in the defaults that --quick changes, and checks what one option cannot. */
    private BenchOptions settle() {
        if (noSweep) {
            sweepThreads = List.of();
        } else if (sweepThreads == null) {
            sweepThreads = quick ? List.of() : List.of(8, 32, 128);
        }
        workloads = workloads != null ? workloads : quick ? List.of(Workload.MIXED) : List.of(Workload.SHORT, Workload.MIXED);
        warmupSeconds = warmupSeconds != null ? warmupSeconds : quick ? 5.0 : 10.0;
        measureSeconds = measureSeconds != null ? measureSeconds : quick ? 12.0 : 40.0;
        out = out != null ? out : quick ? Path.of("results", "latency-quick") : Path.of("docs", "results");
        work = work != null ? work : Path.of("benchmarks", "target", "bench-latency", quick ? "quick" : "full");
        budgetMinutes = budgetMinutes != null ? budgetMinutes : quick ? 3.0 : 21.0;
        retries = Math.max(0, retries != null ? retries : quick ? 0 : 1);
        String[] g = gap.split("-");
        try {
            minGapSeconds = Double.parseDouble(g[0]);
            maxGapSeconds = g.length > 1 ? Double.parseDouble(g[1]) : minGapSeconds;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--gap takes MIN-MAX in seconds (1.2-1.8), not '" + gap + "'");
        }
        positive("--rate", rate);
        positive("--threads", threads);
        positive("--duration", measureSeconds);
        positive("--sweep-duration", sweepMeasureSeconds);
        positive("--keys", keys);
        positive("--gap", minGapSeconds);
        positive("--global-timeout-ms", globalTimeoutMillis);
        positive("--budget-minutes", budgetMinutes);
        if (maxGapSeconds < minGapSeconds) {
            throw new IllegalArgumentException("--gap MIN-MAX needs MIN <= MAX");
        }
        if (warmupSeconds < 0 || sweepWarmupSeconds < 0) {
            throw new IllegalArgumentException("a warm-up cannot be negative");
        }
        if (workloads.isEmpty() || scenarios.isEmpty()) {
            throw new IllegalArgumentException("name at least one workload and one scenario");
        }
        serverOptions = List.copyOf(serverOptions);
        return this;
    }

    private static void positive(String option, double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException(option + " must be positive, not " + v);
        }
    }

    /** picocli's converter for --workloads. */
    static final class WorkloadWord implements ITypeConverter<Workload> {
        @Override
        public Workload convert(String word) {
            return Workload.parse(word.strip());
        }
    }

    /** picocli's converter for --scenarios. */
    static final class ScenarioWord implements ITypeConverter<Scenario> {
        @Override
        public Scenario convert(String word) {
            return Scenario.parse(word.strip());
        }
    }

    /** The markdown report. */
    Path report() {
        return out.resolve("latency.md");
    }

    /** CSV, HdrHistogram logs and plots. */
    Path data() {
        return out.resolve("latency");
    }

    boolean quick() {
        return quick;
    }

    double rate() {
        return rate;
    }

    int threads() {
        return threads;
    }

    List<Integer> sweepThreads() {
        return sweepThreads;
    }

    List<Workload> workloads() {
        return workloads;
    }

    List<Scenario> scenarios() {
        return scenarios;
    }

    double warmupSeconds() {
        return warmupSeconds;
    }

    double measureSeconds() {
        return measureSeconds;
    }

    double sweepWarmupSeconds() {
        return sweepWarmupSeconds;
    }

    double sweepMeasureSeconds() {
        return sweepMeasureSeconds;
    }

    int keys() {
        return keys;
    }

    long seed() {
        return seed;
    }

    double minGapSeconds() {
        return minGapSeconds;
    }

    double maxGapSeconds() {
        return maxGapSeconds;
    }

    double disruptAt() {
        return DISRUPT_AT;
    }

    long globalTimeoutMillis() {
        return globalTimeoutMillis;
    }

    Path out() {
        return out;
    }

    Path work() {
        return work;
    }

    /** The jars it runs. */
    io.livepatch4j.bench.BuiltJars jars() {
        return jars;
    }

    Path nativeTool() {
        return nativeTool;
    }

    List<String> serverOptions() {
        return serverOptions;
    }

    double budgetMinutes() {
        return budgetMinutes;
    }

    int retries() {
        return retries;
    }
}
