package io.livepatch4j.bench.latency;

import io.livepatch4j.control.ControlClient;

import io.livepatch4j.bench.load.LatencyStats;
import io.livepatch4j.bench.load.OpenLoopLoad;
import io.livepatch4j.bench.load.RequestKind;
import io.livepatch4j.bench.load.Sample;
import io.livepatch4j.bench.safepoints.SafepointLog;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Runs one scenario: a fresh demo-server v1 JVM, the open-loop load, a warm-up that is not counted,
 * then the measured period while the scenario's {@link Disruptor} acts; then the figures of the
 * measured period, its HdrHistogram log and its latency-over-time plot.
 */
final class ScenarioRun {

    /** What every run of one harness invocation shares. */
    record Context(BenchOptions options, byte[] patch, String patchName, NativeTool lp4jNative,
                   String criuUnavailable, Path logs, Path data) {
    }

    /** Warm-up seconds below which the patch scenarios skip their warm-up apply and rollback. */
    static final double MIN_WARMUP_FOR_A_CYCLE = 3;

    /** Longer than the load's per-request timeout (30 s), so no request is left unanswered. */
    private static final long DRAIN_MILLIS = 35_000;

    private ScenarioRun() {}

    static ScenarioResult run(Context ctx, RunSpec spec) throws Exception {
        if (spec.scenario().checkpoints() && ctx.criuUnavailable() != null) {
            return ScenarioResult.skipped(spec, ctx.criuUnavailable());
        }
        BenchOptions o = ctx.options();
        String tag = spec.tag();
        // The CRIU scenarios' server may shrink its heap (criu-jvm's checkpoint gives the free part back):
        // both start at a 64 MiB heap that grows to the same 512 MiB at most, so they compare as equals.
        List<String> serverOptions = new ArrayList<>(o.serverOptions());
        if (spec.scenario().checkpoints()) {
            serverOptions.add(0, "-Xms64m");
        }
        ServerJvm jvms = new ServerJvm(o.jars().agentJar(), o.globalTimeoutMillis(), o.keys(), spec.threads(),
                ctx.logs(), serverOptions);
        int port = ServerJvm.freePort();
        AtomicReference<ServerJvm.Running> server = new AtomicReference<>(spec.scenario().checkpoints()
            ? jvms.startDetached(o.jars().v1Jar(), port, tag) : jvms.startChild(o.jars().v1Jar(), port, tag));
        Disruptor disruptor;
        try {
            disruptor = disruptor(ctx, spec, jvms, server);
        } catch (IOException | RuntimeException e) {
            jvms.stopAll();
            throw e;
        }
        List<Disruption> events = List.of();
        List<Disruption> warmup = List.of();
        List<Sample> samples;
        long from;
        long until;
        long sent;
        OtherCpu.Snapshot cpu0;
        OtherCpu.Snapshot cpu1;
        long jit0;
        long jit1;
        try (OpenLoopLoad load =
                new OpenLoopLoad("127.0.0.1", port, spec.workload().mix(spec.rate(), o.keys()))) {
            long start = load.start();
            from = start + seconds(spec.warmupSeconds());
            until = from + seconds(spec.measureSeconds());
            if (spec.warmupSeconds() >= MIN_WARMUP_FOR_A_CYCLE) {
                warmup = disruptor.warmUp(start + seconds(spec.warmupSeconds() * 0.3));
            }
            Pause.until(from);
            jit0 = OtherCpu.threadTicks(server.get().pid(), OtherCpu.COMPILER_THREADS);
            cpu0 = OtherCpu.take();
            try {
                events = disruptor.run(from, until);
            } finally {
                Pause.until(until);
                cpu1 = OtherCpu.take();
                jit1 = OtherCpu.threadTicks(server.get().pid(), OtherCpu.COMPILER_THREADS);
                samples = load.stop(DRAIN_MILLIS);
                sent = load.sent();
            }
        } finally {
            // the agent's figures while the server still runs; CRIU's images removed whatever happened
            try {
                List<Disruption> all = new ArrayList<>(warmup);
                all.addAll(events);
                all = disruptor.finish(all);
                warmup = all.subList(0, warmup.size());
                events = all.subList(warmup.size(), all.size());
            } finally {
                jvms.stopAll();
            }
        }
        Set<Long> ours = new HashSet<>();
        ours.add(ProcessHandle.current().pid());
        jvms.started().forEach(s -> ours.add(s.pid()));
        List<SafepointLog.VmOperation> ops = new ArrayList<>();
        for (ServerJvm.Running s : jvms.started()) {
            if (Files.exists(s.safepointLog())) {
                ops.addAll(SafepointLog.parseAll(Files.readAllLines(s.safepointLog())));
            }
        }
        boolean sameServer = spec.scenario() != Scenario.RESTART && !spec.scenario().checkpoints();
        CpuUse cpu = new CpuUse(
            sameServer ? OtherCpu.percentOf(cpu0, cpu1, Set.of(jvms.started().get(0).pid())) : Double.NaN,
            sameServer ? OtherCpu.percent(jit0, jit1, cpu1.nanos() - cpu0.nanos()) : Double.NaN,
            OtherCpu.percentOf(cpu0, cpu1, Set.of(ProcessHandle.current().pid())),
            OtherCpu.otherPercent(cpu0, cpu1, ours, false), OtherCpu.otherPercent(cpu0, cpu1, ours, true),
            OtherCpu.busyPercent(cpu0, cpu1));
        return summarize(ctx, spec, samples, sent, from, until, warmup, events, ops, cpu);
    }

    private static Disruptor disruptor(Context ctx, RunSpec spec, ServerJvm jvms,
                                       AtomicReference<ServerJvm.Running> server) throws IOException {
        BenchOptions o = ctx.options();
        long at = seconds(spec.measureSeconds() * o.disruptAt());
        return switch (spec.scenario()) {
            case NONE -> Disruptor.NONE;
            case LOCAL, GLOBAL, REDEFINE -> new PatchCycler(ControlClient.of(server.get().pid(), java.time.Duration.ofMinutes(5)), ctx.patch(),
                    ctx.patchName(), spec.scenario().strategy(),
                    PatchSchedule.offsets(seconds(spec.measureSeconds()), seconds(0.5),
                            seconds(o.minGapSeconds()), seconds(o.maxGapSeconds()), o.seed()));
            case RESTART -> new RestartOnce(jvms, server, o.jars().v2Jar(), at, spec.tag());
            case CRIU -> new CriuOnce(ctx.lp4jNative(), server.get(), at, false);
            case CRIU_JVM -> new CriuOnce(ctx.lp4jNative(), server.get(), at, true);
        };
    }

    private static ScenarioResult summarize(Context ctx, RunSpec spec, List<Sample> samples, long sent,
                                            long from, long until, List<Disruption> warmup,
                                            List<Disruption> events, List<SafepointLog.VmOperation> ops,
                                            CpuUse cpu) throws IOException {
        Predicate<Sample> measured = LatencyStats.dueBetween(from, until);
        Predicate<Sample> isShort = s -> s.kind() != RequestKind.REPORT;
        LatencyStats all = LatencyStats.of("all requests", samples, measured);
        LatencyStats shortOnly = LatencyStats.of("short requests", samples, measured.and(isShort));
        Histogram allHistogram = histogram(samples, measured);
        Histogram shortHistogram = histogram(samples, measured.and(isShort));
        long firstFailed = Long.MAX_VALUE;
        long lastFailed = Long.MIN_VALUE;
        for (Sample s : samples) {
            if (measured.test(s) && s.failed()) {
                firstFailed = Math.min(firstFailed, s.intendedNanos());
                lastFailed = Math.max(lastFailed, s.intendedNanos());
            }
        }
        double failedSpan = firstFailed == Long.MAX_VALUE ? 0 : (lastFailed - firstFailed) / 1e6;
        ScenarioResult r = new ScenarioResult(spec, from, null, all, shortOnly, allHistogram, shortHistogram,
                warmup, events, Transitions.of(events), Safepoints.of(ops, from, until, events),
                Math.max(0, sent - samples.size()), failedSpan, cpu, 1);
        HistogramLogs.write(ctx.data().resolve(spec.tag() + ".hlog"), r, samples, from, until);
        TimelinePlot.write(ctx.data().resolve(spec.tag() + ".png"), r, samples, from, until);
        RawSamples.write(ctx.logs().resolve(spec.tag() + "-requests.csv.gz"), samples, from);
        return r;
    }

    /** Latency in nanoseconds from 1 µs to 60 s, 3 significant digits; failed requests are not timed. */
    static Histogram histogram(List<Sample> samples, Predicate<Sample> in) {
        Histogram h = new Histogram(1_000L, 60_000_000_000L, 3);
        for (Sample s : samples) {
            if (in.test(s) && !s.failed()) {
                h.recordValue(Math.min(Math.max(s.latencyNanos(), 1_000L), 60_000_000_000L));
            }
        }
        return h;
    }

    static long seconds(double s) {
        return (long) (s * TimeUnit.SECONDS.toNanos(1));
    }
}
