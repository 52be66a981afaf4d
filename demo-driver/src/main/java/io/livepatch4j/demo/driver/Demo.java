package io.livepatch4j.demo.driver;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livepatch4j.bench.load.LatencyPlot;
import io.livepatch4j.bench.load.LatencyStats;
import io.livepatch4j.bench.load.OpenLoopLoad;
import io.livepatch4j.bench.load.RequestKind;
import io.livepatch4j.bench.load.Sample;
import io.livepatch4j.bench.load.ServerProcess;
import io.livepatch4j.bench.safepoints.SafepointLog;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The main job: the demo server (v1, which leaks private keys to an empty API key) serves an
 * open-loop load while `lp4j build` makes the v1-to-v2 patch and `lp4j apply --wait` applies it
 * live; then the proof: no failed request, no request that ran two versions, latency before, around
 * and after the apply, the transition's time, safepoints during it, and the leak gone for every
 * request sent after the transition completed. Writes results/demo/report.md and latency.png; the
 * last line printed is one JSON object.
 */
public final class Demo {

    private static final PrintStream OUT = System.out;

    private Demo() {}

    public static void main(String[] args) throws Exception {
        DemoOptions o;
        try {
            o = DemoOptions.parse(args, new java.io.PrintWriter(System.out, true));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(o == null ? 0 : run(o));
    }

    static int run(DemoOptions o) throws Exception {
        if (o.jars().missing().isPresent()) {
            System.err.println("demo: " + o.jars().missing().get() + " is missing; build first: mvn -B -q -DskipTests package");
            return 2;
        }
        Files.createDirectories(o.out());
        Path safepointLog = o.out().resolve("server-safepoints.log");
        Files.deleteIfExists(safepointLog);
        List<String> jvm = new ArrayList<>(List.of("-Xms512m", "-Xmx512m", "-XX:+PerfDisableSharedMem",
            SafepointLog.xlogOption(safepointLog.toString())));
        if (Runtime.version().feature() >= 21) {
            jvm.add("-XX:+EnableDynamicAgentLoading");
        }
        if (!o.attach()) {
            jvm.add("-javaagent:" + o.jars().agentJar() + "=packages=io.livepatch4j.demo");
        }
        say("starting demo-server v1 (%d keys, %d worker threads) %s", o.keys(), o.serverThreads(),
            o.attach() ? "without the agent (attach mode: lp4j apply will load it)"
                : "with the livepatch4j agent (prepared mode: -javaagent, packages=io.livepatch4j.demo)");
        try (ServerProcess server = ServerProcess.start(o.jars().v1Jar(), jvm, List.of("--keys", String.valueOf(o.keys()),
            "--threads", String.valueOf(o.serverThreads())), o.out().resolve("server.log"), 120)) {
            say("server ready on port %d, pid %d, version %s", server.port(), server.pid(), server.version());
            String leak = probe(server.port());
            say("the bug: GET /kv/private/item-0 with an empty X-Api-Key -> %s", leak);

            Path patch = o.out().resolve("demo-v1-to-v2.lp4j");
            say("building the v1 -> v2 patch: lp4j build --old %s --new %s -o %s", o.jars().v1Jar(), o.jars().v2Jar(), patch);
            Lp4jProcess.Result built = Lp4jProcess.run(o.jars().lp4jJar(), OUT, "build", "--old", o.jars().v1Jar().toString(),
                "--new", o.jars().v2Jar().toString(), "-o", patch.toString(), "--id", "demo-v1-to-v2");
            if (built.exit() != 0) {
                System.err.println("demo: lp4j build failed (exit " + built.exit() + ")");
                return 1;
            }
            return drive(o, server, patch, safepointLog);
        }
    }

    private static int drive(DemoOptions o, ServerProcess server, Path patch, Path safepointLog) throws Exception {
        OpenLoopLoad.Mix mix = new OpenLoopLoad.Mix(o.rate(), o.keys(), o.reportShare(), o.reportPasses(), o.probeShare(),
            o.putShare());
        say("open-loop load: %.0f requests/s for %.0f s (%.0f%% long /report scans of %d passes, %.0f%% leak probes, "
                + "%.0f%% writes); latency is measured from each request's intended send time", o.rate(), o.durationSeconds(),
            o.reportShare() * 100, o.reportPasses(), o.probeShare() * 100, o.putShare() * 100);
        long start;
        long applyStart;
        long applyReturned;
        Lp4jProcess.Result applied;
        List<Sample> samples;
        try (OpenLoopLoad load = new OpenLoopLoad("127.0.0.1", server.port(), mix)) {
            start = load.start();
            long applyAt = start + (long) (o.applyAtSeconds() * 1e9);
            long end = start + (long) (o.durationSeconds() * 1e9);
            Progress progress = new Progress(load, start);
            progress.until(applyAt);
            applyStart = System.nanoTime();
            say("t=%.1fs applying the patch live: lp4j apply --pid %d %s --wait", (applyStart - start) / 1e9, server.pid(),
                patch.getFileName());
            applied = Lp4jProcess.run(o.jars().lp4jJar(), OUT, "apply", "--pid", String.valueOf(server.pid()), patch.toString(),
                "--wait", "--agent-jar", o.jars().agentJar().toString());
            applyReturned = System.nanoTime();
            if (applied.exit() != 0) {
                say("lp4j apply failed (exit %d); the load goes on to the end", applied.exit());
            }
            progress.until(end);
            samples = load.stop(20_000);
        }
        double transitionMs = transitionMillis(o, server);
        long transitionEnd = applyReturned;
        return summarize(o, server, samples, start, applyStart, applyReturned, transitionEnd, transitionMs, applied,
            safepointLog);
    }

    /** The completed transition's time as the agent measured it (lp4j status --json). */
    private static double transitionMillis(DemoOptions o, ServerProcess server) throws IOException, InterruptedException {
        Lp4jProcess.Result st = Lp4jProcess.run(o.jars().lp4jJar(), null, "status", "--pid", String.valueOf(server.pid()), "--json");
        if (st.exit() != 0) {
            return Double.NaN;
        }
        JsonObject s = JsonParser.parseString(st.text()).getAsJsonObject();
        if (s.get("transition") == null || s.get("transition").isJsonNull()) {
            return Double.NaN;
        }
        JsonObject t = s.getAsJsonObject("transition");
        return "complete".equals(t.get("state").getAsString()) ? t.get("elapsedMillis").getAsDouble() : Double.NaN;
    }

    private static int summarize(DemoOptions o, ServerProcess server, List<Sample> samples, long start, long applyStart,
                                 long applyReturned, long transitionEnd, double transitionMs, Lp4jProcess.Result applied,
                                 Path safepointLog) throws IOException {
        long warm = start + (long) (o.warmupSeconds() * 1e9);
        long duringFrom = applyStart - 500_000_000L;
        long duringTo = Math.max(applyStart + 500_000_000L, transitionEnd);
        long end = start + (long) (o.durationSeconds() * 1e9);
        LatencyStats all = LatencyStats.of("all (after warm-up)", samples, s -> s.intendedNanos() >= warm);
        LatencyStats before = LatencyStats.of("before the apply", samples, LatencyStats.dueBetween(warm, duringFrom));
        LatencyStats during = LatencyStats.of("the second around the apply", samples,
            LatencyStats.dueBetween(duringFrom, duringTo));
        LatencyStats after = LatencyStats.of("after the transition", samples, LatencyStats.dueBetween(duringTo, end));
        long failed = samples.stream().filter(Sample::failed).count();
        long mixed = samples.stream().filter(Sample::mixed).count();

        List<Sample> probes = samples.stream().filter(s -> s.kind() == RequestKind.LEAK_PROBE && !s.failed()).toList();
        long leakedBefore = probes.stream().filter(s -> s.intendedNanos() < applyStart && s.status() == 200).count();
        long probesBefore = probes.stream().filter(s -> s.intendedNanos() < applyStart).count();
        List<Sample> probesAfter = probes.stream().filter(s -> s.intendedNanos() >= transitionEnd).toList();
        long blockedAfter = probesAfter.stream().filter(s -> s.status() == 403).count();
        boolean bugFixed = applied.exit() == 0 && leakedBefore > 0 && !probesAfter.isEmpty()
            && blockedAfter == probesAfter.size();
        long v2After = samples.stream().filter(s -> s.intendedNanos() >= transitionEnd && !s.failed()
            && "V2".equals(s.version())).count();
        long after2 = samples.stream().filter(s -> s.intendedNanos() >= transitionEnd && !s.failed()).count();

        List<SafepointLog.VmOperation> ops = Files.exists(safepointLog)
            ? SafepointLog.parseAll(Files.readAllLines(safepointLog)) : List.of();
        List<SafepointLog.VmOperation> duringApply = ops.stream().filter(op -> op.kind() == SafepointLog.Kind.SAFEPOINT
            && op.endNanos() >= applyStart && op.startNanos() <= transitionEnd).toList();
        List<SafepointLog.VmOperation> handshakes = ops.stream().filter(op -> op.kind() == SafepointLog.Kind.HANDSHAKE
            && op.endNanos() >= applyStart && op.startNanos() <= transitionEnd).toList();
        double pauseMs = duringApply.stream().mapToLong(SafepointLog.VmOperation::durationNanos).sum() / 1e6;
        long background = ops.stream().filter(op -> op.kind() == SafepointLog.Kind.SAFEPOINT && op.endNanos() >= warm
            && op.endNanos() < applyStart).count();
        double beforeSeconds = (applyStart - warm) / 1e9;

        OUT.println();
        say("load stopped: %d requests, %d failed, %d ran mixed versions", samples.size(), failed, mixed);
        OUT.println(LatencyStats.header());
        for (LatencyStats s : List.of(before, during, after, all)) {
            OUT.println(s.row());
        }
        say("transition: %s ms (the agent's measure, from the apply to the last thread's quiescence point)",
            Double.isNaN(transitionMs) ? "n/a" : String.format(Locale.ROOT, "%.1f", transitionMs));
        say("global safepoints during the apply and its transition: %d %s(total pause %.3f ms); handshakes: %d; for "
            + "comparison, before the apply: %d safepoints in %.0f s", duringApply.size(), names(duringApply), pauseMs,
            handshakes.size(), background, beforeSeconds);
        say("the bug: %d of %d leak probes before the apply got the secret; after the transition completed %d of %d "
            + "got 403 -> %s", leakedBefore, probesBefore, blockedAfter, probesAfter.size(),
            bugFixed ? "fixed, with no restart" : "NOT FIXED");
        say("after the transition %d of %d requests were served by v2", v2After, after2);

        Map<String, Long> events = new LinkedHashMap<>();
        events.put("lp4j apply", applyStart);
        events.put("transition complete", transitionEnd);
        Path png = o.out().resolve("latency.png");
        LatencyPlot.write(png, "demo-server under " + (int) o.rate() + " req/s: live patch v1 -> v2 ("
            + (o.attach() ? "attach" : "prepared") + " mode, local strategy)", samples, start, events);
        Path csv = o.out().resolve("requests.csv");
        writeCsv(csv, samples, start);

        JsonObject json = new JsonObject();
        json.addProperty("requests", samples.size());
        json.addProperty("failed", failed);
        json.addProperty("mixed", mixed);
        json.addProperty("p999_before_ms", round(before.p999Ms()));
        json.addProperty("p999_during_ms", round(during.p999Ms()));
        json.addProperty("p999_after_ms", round(after.p999Ms()));
        json.addProperty("transition_ms", round(transitionMs));
        json.addProperty("bug_fixed", bugFixed);
        json.addProperty("safepoints_during_apply", duringApply.size());
        json.addProperty("safepoint_pause_ms", round(pauseMs));
        json.addProperty("mode", o.attach() ? "attach" : "prepared");
        json.addProperty("rate", o.rate());
        json.addProperty("duration_s", o.durationSeconds());
        json.addProperty("p50_ms", round(all.p50Ms()));
        json.addProperty("p99_ms", round(all.p99Ms()));
        json.addProperty("max_ms", round(all.maxMs()));
        Path report = o.out().resolve("report.md");
        Files.writeString(report, report(o, server, List.of(before, during, after, all), transitionMs, duringApply,
            handshakes, background, beforeSeconds, leakedBefore, probesBefore, blockedAfter, probesAfter.size(), bugFixed,
            applied, png, json));
        say("report: %s, %s, %s", report, png, csv);
        OUT.println(new Gson().toJson(json));
        return failed == 0 && mixed == 0 && bugFixed ? 0 : 1;
    }

    private static String report(DemoOptions o, ServerProcess server, List<LatencyStats> rows, double transitionMs,
                                 List<SafepointLog.VmOperation> safepoints, List<SafepointLog.VmOperation> handshakes,
                                 long background, double beforeSeconds, long leakedBefore, long probesBefore,
                                 long blockedAfter, long probesAfter, boolean fixed, Lp4jProcess.Result applied, Path png,
                                 JsonObject json) {
        StringBuilder r = new StringBuilder();
        r.append("# Live patch of demo-server under load\n\n");
        r.append("Run ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
            .append(" CPUs, JDK ").append(Runtime.version()).append(" (load driver and server).\n\n");
        r.append("- Server: demo-server v1, ").append(o.keys()).append(" keys, ").append(o.serverThreads())
            .append(" worker threads, heap 512 MiB, ").append(o.attach() ? "attach mode" : "prepared mode (-javaagent)")
            .append(".\n");
        r.append(String.format(Locale.ROOT, "- Load: open loop, %.0f requests/s for %.0f s; %.0f%% long `/report` (%d passes), "
                + "%.0f%% leak probes, %.0f%% writes, the rest reads. Latency from each request's intended send time "
                + "(HdrHistogram, 3 digits). The first %.0f s are warm-up and not counted.%n", o.rate(), o.durationSeconds(),
            o.reportShare() * 100, o.reportPasses(), o.probeShare() * 100, o.putShare() * 100, o.warmupSeconds()));
        r.append(String.format(Locale.ROOT, "- Patch applied at %.1f s with `lp4j apply --pid %d --wait` (local strategy).%n%n",
            o.applyAtSeconds(), server.pid()));
        r.append(LatencyStats.header()).append('\n');
        rows.forEach(s -> r.append(s.row()).append('\n'));
        r.append('\n');
        r.append(String.format(Locale.ROOT, "Transition: %.1f ms. Global safepoints during the apply and its transition: "
                + "%d (total pause %.3f ms); handshakes: %d. Background before the apply: %d safepoints in %.0f s.%n%n",
            transitionMs, safepoints.size(), safepoints.stream().mapToLong(SafepointLog.VmOperation::durationNanos).sum() / 1e6,
            handshakes.size(), background, beforeSeconds));
        safepoints.forEach(s -> r.append("- safepoint `").append(s.name()).append("`, ")
            .append(String.format(Locale.ROOT, "%.3f ms", s.durationNanos() / 1e6)).append('\n'));
        r.append(String.format(Locale.ROOT, "The bug: before the apply %d of %d leak probes got the secret; after the "
            + "transition completed %d of %d got 403: %s.%n%n", leakedBefore, probesBefore, blockedAfter, probesAfter,
            fixed ? "fixed, with no restart" : "NOT fixed"));
        r.append("lp4j apply said:\n\n```\n").append(applied.text()).append("\n```\n\n");
        r.append("![latency over time](").append(png.getFileName()).append(")\n\n");
        r.append("Summary: `").append(new Gson().toJson(json)).append("`\n\n");
        r.append("Reproduce: `scripts/demo").append(o.attach() ? " --attach" : "").append(" --duration ")
            .append((int) o.durationSeconds()).append(" --rate ").append((int) o.rate()).append("`\n");
        return r.toString();
    }

    private static void writeCsv(Path csv, List<Sample> samples, long start) throws IOException {
        StringBuilder b = new StringBuilder("due_s,kind,status,latency_ms,version,generation,failure\n");
        for (Sample s : samples) {
            b.append(String.format(Locale.ROOT, "%.6f,%s,%d,%.3f,%s,%d,%s%n", (s.intendedNanos() - start) / 1e9, s.kind(),
                s.status(), s.latencyNanos() / 1e6, s.version(), s.generation(),
                s.failure() == null ? "" : s.failure().replace(',', ';')));
        }
        Files.writeString(csv, b);
    }

    /** One leak probe, to show the bug before anything starts. */
    private static String probe(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/kv/private/item-0")).header("X-Api-Key", "").build(),
            HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + (r.statusCode() == 200 ? " and the secret (v1 leaks)" : "");
    }

    private static String names(List<SafepointLog.VmOperation> ops) {
        if (ops.isEmpty()) {
            return "";
        }
        List<String> n = new ArrayList<>();
        ops.forEach(op -> n.add(op.name()));
        return n + " ";
    }

    static double round(double v) {
        return Double.isNaN(v) ? -1 : Math.round(v * 1000) / 1000.0;
    }

    static void say(String format, Object... args) {
        OUT.printf(Locale.ROOT, "[demo] " + format + "%n", args);
    }

    /** Prints one line a second while the load runs: what completed, failures, mixing, p99, versions served. */
    private static final class Progress {
        private final OpenLoopLoad load;
        private final long start;
        private int shown;

        Progress(OpenLoopLoad load, long start) {
            this.load = load;
            this.start = start;
        }

        void until(long deadline) throws InterruptedException {
            while (System.nanoTime() < deadline) {
                long next = start + (shown + 1) * 1_000_000_000L;
                long sleep = Math.min(next, deadline) - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
                if (System.nanoTime() >= next) {
                    shown++;
                    line(next);
                }
            }
        }

        private void line(long until) {
            List<Sample> done = load.completedSoFar();
            List<Sample> last = done.stream().filter(s -> s.intendedNanos() >= until - 1_000_000_000L
                && s.intendedNanos() < until).toList();
            LatencyStats s = LatencyStats.of("", last, x -> true);
            long ok = last.stream().filter(x -> !x.failed()).count();
            long v2 = last.stream().filter(x -> !x.failed() && "V2".equals(x.version())).count();
            say("t=%2ds sent %6d  done %6d  failed %d  mixed %d  last second: p99 %6.2f ms, max %6.2f ms, served by v2 %3.0f%%",
                shown, load.sent(), done.size(), done.stream().filter(Sample::failed).count(),
                done.stream().filter(Sample::mixed).count(), s.p99Ms(), s.maxMs(), ok == 0 ? 0 : 100.0 * v2 / ok);
        }
    }
}
