package io.livepatch4j.bench.prepared;

import io.livepatch4j.bench.load.OpenLoopLoad;
import io.livepatch4j.bench.load.Sample;
import io.livepatch4j.bench.load.ServerProcess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pair of demo servers (Jetty 12), one without the agent and one with it, running at the same
 * time, each under its own open-loop load at the same fixed rate and the same request sequence:
 * reads, writes, leak probes and a few /report scans. After the warm-up, both are measured over the
 * same window, so the shared machine's other work falls on both. The figure is each server
 * process's CPU time per request answered, all its threads but the JIT compilers' (GC included), in
 * nanoseconds from the scheduler's accounting per thread. The warm-up lasts until both servers' JIT is
 * quiet; what they still compile in the window is reported apart.
 */
final class DemoServerPair {

    private static final double REPORT_SHARE = 0.001;
    private static final double PROBE_SHARE = 0.01;
    private static final double PUT_SHARE = 0.2;

    private final Path jar;
    private final int keys;
    private final double rate;
    private final double warmupSeconds;
    private final double measureSeconds;

    DemoServerPair(Path jar, int keys, double rate, double warmupSeconds, double measureSeconds) {
        this.jar = jar;
        this.keys = keys;
        this.rate = rate;
        this.warmupSeconds = warmupSeconds;
        this.measureSeconds = measureSeconds;
    }

    PairResult run(int pair, List<String> noneFlags, List<String> agentFlags, Path logs) throws Exception {
        List<String> args = List.of("--keys", Integer.toString(keys));
        OpenLoopLoad.Mix mix = new OpenLoopLoad.Mix(rate, keys, REPORT_SHARE, 1, PROBE_SHARE, PUT_SHARE);
        // Which server starts first, and whose load starts first, alternates with the pair.
        boolean agentFirst = pair % 2 == 1;
        try (ServerProcess first = ServerProcess.start(jar, agentFirst ? agentFlags : noneFlags, args,
                 logs.resolve("demo-" + pair + (agentFirst ? "-agent.log" : "-none.log")), 120);
             ServerProcess second = ServerProcess.start(jar, agentFirst ? noneFlags : agentFlags, args,
                 logs.resolve("demo-" + pair + (agentFirst ? "-none.log" : "-agent.log")), 120);
             OpenLoopLoad firstLoad = new OpenLoopLoad("127.0.0.1", first.port(), mix);
             OpenLoopLoad secondLoad = new OpenLoopLoad("127.0.0.1", second.port(), mix)) {
            ServerProcess none = agentFirst ? second : first;
            ServerProcess agent = agentFirst ? first : second;
            OpenLoopLoad noneLoad = agentFirst ? secondLoad : firstLoad;
            OpenLoopLoad agentLoad = agentFirst ? firstLoad : secondLoad;
            firstLoad.start();
            secondLoad.start();
            double warmed = warmUp(none.pid(), agent.pid());
            long jitNone0 = MachineCpu.runtimeNanos(none.pid(), true);
            long jitAgent0 = MachineCpu.runtimeNanos(agent.pid(), true);
            long n0 = MachineCpu.processTicks(none.pid());
            long a0 = MachineCpu.processTicks(agent.pid());
            long nNanos0 = MachineCpu.runtimeNanos(none.pid(), false);
            long aNanos0 = MachineCpu.runtimeNanos(agent.pid(), false);
            long self = ProcessHandle.current().pid();
            long s0 = MachineCpu.processTicks(self);
            long busy0 = MachineCpu.busyTicks();
            long t0 = System.nanoTime();
            Thread.sleep((long) (measureSeconds * 1000));
            long nNanos = MachineCpu.runtimeNanos(none.pid(), false) - nNanos0;
            long aNanos = MachineCpu.runtimeNanos(agent.pid(), false) - aNanos0;
            long jitNone = MachineCpu.runtimeNanos(none.pid(), true) - jitNone0;
            long jitAgent = MachineCpu.runtimeNanos(agent.pid(), true) - jitAgent0;
            long n = MachineCpu.processTicks(none.pid()) - n0;
            long a = MachineCpu.processTicks(agent.pid()) - a0;
            long others = MachineCpu.busyTicks() - busy0;
            long t1 = System.nanoTime();
            String otherPct = String.format(java.util.Locale.ROOT, "%.1f",
                MachineCpu.otherPercent(others, n + a + MachineCpu.processTicks(self) - s0, t1 - t0));
            Map<String, String> noneFigures = figures(noneLoad.stop(10_000), nNanos, jitNone, n, t0, t1, none, logs, rate);
            Map<String, String> agentFigures = figures(agentLoad.stop(10_000), aNanos, jitAgent, a, t0, t1, agent, logs, rate);
            noneFigures.put("warmup_s", String.format(java.util.Locale.ROOT, "%.1f", warmed));
            agentFigures.put("warmup_s", String.format(java.util.Locale.ROOT, "%.1f", warmed));
            noneFigures.put("compile_ms", Long.toString(jitNone / 1_000_000));
            agentFigures.put("compile_ms", Long.toString(jitAgent / 1_000_000));
            noneFigures.put("other_cpu_pct", otherPct);
            agentFigures.put("other_cpu_pct", otherPct);
            double ratio = Double.parseDouble(agentFigures.get("cost")) / Double.parseDouble(noneFigures.get("cost"));
            double wall = Double.parseDouble(agentFigures.get("p50_ms")) / Double.parseDouble(noneFigures.get("p50_ms"));
            return new PairResult("demo", pair, noneFigures, agentFigures, ratio, wall);
        }
    }

    /**
     * At least the set warm-up, then until both servers' JIT compiler threads have used at most 20 ms of
     * CPU in the last two seconds, at most three times the set time; returns the seconds it took.
     */
    private double warmUp(long nonePid, long agentPid) throws InterruptedException {
        long start = System.nanoTime();
        Thread.sleep((long) (warmupSeconds * 1000));
        long[] before = {MachineCpu.runtimeNanos(nonePid, true), MachineCpu.runtimeNanos(agentPid, true)};
        while (System.nanoTime() - start < 3 * warmupSeconds * 1e9) {
            Thread.sleep(2000);
            long[] now = {MachineCpu.runtimeNanos(nonePid, true), MachineCpu.runtimeNanos(agentPid, true)};
            boolean quiet = now[0] - before[0] <= 20_000_000 && now[1] - before[1] <= 20_000_000;
            before = now;
            if (quiet) {
                break;
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static Map<String, String> figures(List<Sample> samples, long cpuNanos, long jitNanos, long ticks, long t0, long t1,
                                               ServerProcess server,
                                               Path logs, double rate) {
        if (!server.alive()) {
            throw new IllegalStateException("a demo server ended during the run; see its log in " + logs);
        }
        List<Long> latencies = new ArrayList<>();
        long failed = 0;
        for (Sample s : samples) {
            if (s.intendedNanos() >= t0 && s.intendedNanos() < t1) {
                if (s.failed()) {
                    failed++;
                } else {
                    latencies.add(s.latencyNanos());
                }
            }
        }
        long answered = latencies.size();
        if (answered == 0 || failed > answered / 100) {
            throw new IllegalStateException("a demo server failed " + failed + " of " + (failed + answered)
                + " requests in the window; see its log in " + logs);
        }
        latencies.sort(null);
        double seconds = (t1 - t0) / 1e9;
        Map<String, String> m = new LinkedHashMap<>();
        // The JIT compiler threads' time is left out: what they still compile after the warm-up is
        // warm-up, not the steady state (it is reported as compile_ms).
        m.put("cost", LibraryPair.fmt((cpuNanos - jitNanos) / 1e3 / answered));
        m.put("cost_with_jit", LibraryPair.fmt(cpuNanos / 1e3 / answered));
        m.put("cost_from_ticks", LibraryPair.fmt(ticks / MachineCpu.TICKS_PER_SECOND * 1e6 / answered));
        m.put("throughput_per_s", LibraryPair.fmt(answered / seconds));
        m.put("server_cpu_pct", LibraryPair.fmt(cpuNanos / 1e9 / seconds * 100));
        m.put("p50_ms", LibraryPair.fmt(latencies.get(latencies.size() / 2) / 1e6));
        m.put("p99_ms", LibraryPair.fmt(latencies.get((int) (latencies.size() * 0.99)) / 1e6));
        m.put("failed", Long.toString(failed));
        // Below 95% of the offered rate the server (or the machine) could not keep up: CPU per request
        // then also measures queueing, and the page says how many pairs were so.
        m.put("kept_up", answered / seconds >= 0.95 * rate ? "yes" : "no");
        return m;
    }
}
