package io.livepatch4j.bench.latency;

import com.google.gson.Gson;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The latency-under-load harness (scripts/bench-latency): demo-server serves an open-loop load while
 * each scenario (no patching; local, global and redefine applying and rolling back every ~1.5 s; a
 * restart; a CRIU checkpoint and restore) runs in a fresh server JVM; then a table per workload
 * with ratios to the baseline, a sweep over worker threads, CSV, HdrHistogram logs, plots and the
 * markdown report. The last line printed is one JSON object.
 */
public final class LatencyBench {

    private static final PrintStream OUT = System.out;

    private LatencyBench() {}

    public static void main(String[] args) throws Exception {
        BenchOptions o;
        try {
            o = BenchOptions.parseOrHelp(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(o == null ? 0 : run(o, args));
    }

    static int run(BenchOptions o, String[] args) throws Exception {
        if (o.jars().missing().isPresent()) {
            System.err.println("bench-latency: " + o.jars().missing().get() + " is missing; build first: "
                    + "mvn -B -q -DskipTests package");
            return 2;
        }
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Path logs = o.work().resolve("logs");
        Files.createDirectories(logs);
        Files.createDirectories(o.data());
        Path patchFile = o.work().resolve("demo-v1-to-v2.lp4j");
        String patchSummary = buildPatch(o, patchFile);
        NativeTool lp4jNative = new NativeTool(o.nativeTool());
        String criu = o.scenarios().stream().anyMatch(Scenario::checkpoints) ? criuUnavailable(lp4jNative) : null;
        if (criu != null) {
            say("the criu scenario is skipped: %s", criu);
        }
        ScenarioRun.Context ctx = new ScenarioRun.Context(o, Files.readAllBytes(patchFile),
            patchFile.getFileName().toString(), lp4jNative, criu, logs, o.data());
        List<RunSpec> plan = plan(o);
        double planned = plan.stream().mapToDouble(s -> planned(s) / 1e9).sum();
        say("%d runs, each in a fresh server JVM; about %.0f min. %.0f req/s open loop, %d worker threads, "
                        + "JDK %s, %d CPUs",
                plan.size(), planned / 60, o.rate(), o.threads(), Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        long deadline = t0 + (long) (o.budgetMinutes() * 60e9);
        List<ScenarioResult> results = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            RunSpec spec = plan.get(i);
            say("[%d/%d] %s, %d threads: %s",
                    i + 1, plan.size(), spec.key(), spec.threads(), spec.scenario().description());
            ScenarioResult best = null;
            for (int attempt = 1; ; attempt++) {
                double waited = QuietMachine.awaitIdle(
                        Math.min(TimeUnit.SECONDS.toNanos(60), slack(plan, i, deadline)));
                if (waited >= 1.5) {
                    say("  waited %.0f s for other processes to leave the CPUs idle", waited);
                }
                ScenarioResult r = runOnce(ctx, spec, logs);
                if (best == null || (r.ran() && (!best.ran() || r.cpu().other() < best.cpu().other()))) {
                    best = r.withAttempts(attempt);
                }
                say("  %s", line(r, new Baselines(with(results, r))));
                if (!QuietMachine.disturbed(r) || attempt > o.retries()
                        || slack(plan, i, deadline) < planned(spec)) {
                    break;
                }
                say("  other processes took %.0f%% of a CPU during this run; running it again",
                        r.cpu().other());
            }
            if (best.attempts() > 1) {
                say("  kept attempt %d (other processes' CPU %.0f%%)", best.attempts(), best.cpu().other());
            }
            results.add(best);
        }
        writeOutputs(o, results, args, started, Duration.ofNanos(System.nanoTime() - t0), patchSummary);
        say("report: %s; data and plots: %s", o.report(), o.data());
        OUT.println(new Gson().toJson(ResultFiles.json(results)));
        return 0;
    }

    private static ScenarioResult runOnce(ScenarioRun.Context ctx, RunSpec spec, Path logs) {
        try {
            return ScenarioRun.run(ctx, spec);
        } catch (Exception e) {
            say("  the run failed: %s (logs in %s)", e, logs);
            return ScenarioResult.skipped(spec, "the run failed: " + e.getMessage());
        }
    }

    /** Seconds a run takes besides its warm-up and measured period: JVM start, drain, stop. */
    private static final double OVERHEAD_SECONDS = 5;

    static long planned(RunSpec s) {
        return (long) ((s.warmupSeconds() + s.measureSeconds() + OVERHEAD_SECONDS) * 1e9);
    }

    /** Time left before the deadline beyond what runs i..end need (nanoseconds, may be negative). */
    static long slack(List<RunSpec> plan, int i, long deadline) {
        long need = 0;
        for (int j = i; j < plan.size(); j++) {
            need += planned(plan.get(j));
        }
        return deadline - System.nanoTime() - need;
    }

    private static List<ScenarioResult> with(List<ScenarioResult> done, ScenarioResult r) {
        List<ScenarioResult> all = new ArrayList<>(done);
        all.add(r);
        return all;
    }

    /**
     * Main runs per workload and scenario; then none/local/global on the mixed workload per sweep
     * thread count.
     */
    static List<RunSpec> plan(BenchOptions o) {
        List<RunSpec> plan = new ArrayList<>();
        for (Workload w : o.workloads()) {
            for (Scenario s : o.scenarios()) {
                plan.add(new RunSpec(RunSpec.MAIN, w, s, o.threads(), o.rate(), o.warmupSeconds(),
                        o.measureSeconds()));
            }
        }
        for (int t : o.sweepThreads()) {
            if (t == o.threads() && o.workloads().contains(Workload.MIXED)) {
                continue; // the main mixed runs are this thread count's
            }
            for (Scenario s : List.of(Scenario.NONE, Scenario.LOCAL, Scenario.GLOBAL)) {
                if (o.scenarios().contains(s)) {
                    plan.add(new RunSpec(RunSpec.SWEEP, Workload.MIXED, s, t, o.rate(),
                            o.sweepWarmupSeconds(), o.sweepMeasureSeconds()));
                }
            }
        }
        return plan;
    }

    private static void writeOutputs(BenchOptions o, List<ScenarioResult> results, String[] args,
                                     Instant started, Duration took, String patchSummary) throws IOException {
        ResultFiles.writeSummary(o.data().resolve("summary.csv"), results);
        ResultFiles.writeEvents(o.data().resolve("events.csv"), results);
        for (Workload w : o.workloads()) {
            List<ScenarioResult> rows = results.stream()
                    .filter(r -> r.ran() && r.spec().group().equals(RunSpec.MAIN) && r.spec().workload() == w)
                    .toList();
            String sub = String.format(Locale.ROOT,
                    "%.0f req/s open loop, %d server threads, %.0f s measured per scenario, JDK %s, %d CPUs; "
                            + "latency from the intended send time",
                    o.rate(), o.threads(), o.measureSeconds(), Runtime.version().feature(),
                    Runtime.getRuntime().availableProcessors());
            PercentilePlot.write(o.data().resolve(w.word() + "-percentiles.png"),
                    w.word() + " workload: latency by percentile, all requests", sub, rows,
                    ScenarioResult::allHistogram, r -> r.spec().scenario().word());
            if (w.hasLongRequests()) {
                PercentilePlot.write(o.data().resolve(w.word() + "-short-percentiles.png"), w.word()
                        + " workload: latency by percentile, short requests only", sub, rows,
                    ScenarioResult::shortHistogram, r -> r.spec().scenario().word());
            }
        }
        if (!o.sweepThreads().isEmpty()) {
            LatencyReport report = new LatencyReport(o, results, null);
            List<ScenarioResult> sweep = new ArrayList<>();
            for (int t : o.sweepThreads()) {
                for (Scenario s : List.of(Scenario.NONE, Scenario.LOCAL, Scenario.GLOBAL)) {
                    report.sweepRun(t, s).ifPresent(sweep::add);
                }
            }
            PercentilePlot.write(o.data().resolve("sweep-percentiles.png"),
                    "mixed workload by worker threads: short requests by percentile",
                    String.format(Locale.ROOT, "%.0f req/s open loop, JDK %d",
                            o.rate(), Runtime.version().feature()),
                    sweep, ScenarioResult::shortHistogram,
                    r -> r.spec().scenario().word() + ", " + r.spec().threads() + " threads");
        }
        String command = "scripts/bench-latency" + (args.length == 0 ? "" : " " + String.join(" ", args));
        new LatencyReport(o, results, new LatencyReport.RunInfo(command, started, took, patchSummary))
                .write(o.report());
    }

    /** lp4j build, once, before any server starts: the patch every strategy applies. */
    private static String buildPatch(BenchOptions o, Path patchFile)
            throws IOException, InterruptedException {
        Files.deleteIfExists(patchFile);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", o.jars().lp4jJar().toString(), "build", "--old", o.jars().v1Jar().toString(),
                "--new", o.jars().v2Jar().toString(), "-o", patchFile.toString(), "--id", "demo-v1-to-v2")
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("lp4j build failed:\n" + text);
        }
        say("built the patch with lp4j build: %s", patchFile);
        return "`lp4j build --old demo-server-v1.jar --new demo-server-v2.jar`: the bodies of "
                + "AccessPolicy.admits, ResponseRenderer.render and CodeVersion.name";
    }

    /** Why CRIU cannot run here (lp4j-native's gate: root, CRIU 4.2, kernel), or null if it can. */
    private static String criuUnavailable(NativeTool lp4jNative) throws InterruptedException {
        if (!lp4jNative.present()) {
            return "native/build/lp4j-native is missing (make -C native)";
        }
        try {
            NativeTool.Result r = lp4jNative.run(60, "criu-check");
            return r.exit() == 0 ? null : r.reason();
        } catch (IOException e) {
            return "lp4j-native criu-check failed: " + e.getMessage();
        }
    }

    /** One line per run, as it finishes. */
    static String line(ScenarioResult r, Baselines b) {
        if (!r.ran()) {
            return "skipped: " + r.skipped();
        }
        Transitions t = r.transitions();
        return String.format(Locale.ROOT,
                "%d requests: p50 %s, p99 %s, p99.9 %s (%s× base), max %s ms; short p99.9 %s ms; "
                        + "%d failed, %d mixed; %s; %d safepoints (%.1f ms); "
                        + "CPU: server %.0f%% (JIT %.0f%%), driver %.0f%%, other %.0f%%",
                r.all().requests(), LatencyReport.ms(r.all().p50Ms()), LatencyReport.ms(r.all().p99Ms()),
                LatencyReport.ms(r.all().p999Ms()), LatencyReport.ratio(b.p999Ratio(r)),
                LatencyReport.ms(r.all().maxMs()), LatencyReport.ms(r.shortOnly().p999Ms()),
                r.failed(), r.all().mixed(),
                t.attempted() == 0 ? "no operations" : String.format(Locale.ROOT,
                        "%d/%d operations done (%d timed out), median %s ms, max %s ms",
                        t.done(), t.attempted(), t.timedOut(),
                        LatencyReport.ms(t.medianMillis()), LatencyReport.ms(t.maxMillis())),
                r.safepoints().count(), r.safepoints().pauseMillis(),
                r.cpu().server(), r.cpu().jit(), r.cpu().driver(), r.cpu().other());
    }

    static void say(String format, Object... args) {
        OUT.printf(Locale.ROOT, "[latency] " + format + "%n", args);
    }
}
