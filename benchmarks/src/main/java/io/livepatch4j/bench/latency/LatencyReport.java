package io.livepatch4j.bench.latency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The markdown report (docs/results/latency.md): how it was measured, a table per workload with
 * ratios to the baseline, the thread sweep, the targets and whether they were met, the plots, and
 * the JMH call-cost figures of the agent issue. Only the part between the generated markers is
 * replaced, so the analysis written around it survives a new run.
 */
final class LatencyReport {

    static final String BEGIN =
            "<!-- bench-latency: generated, do not edit by hand (scripts/bench-latency rewrites it) -->";
    static final String END = "<!-- bench-latency: end of generated part -->";

    /** What the report says about the run besides the results. */
    record RunInfo(String command, Instant started, Duration took, String patchSummary) {
    }

    private final BenchOptions o;
    private final List<ScenarioResult> results;
    private final Baselines baselines;
    private final RunInfo info;

    LatencyReport(BenchOptions o, List<ScenarioResult> results, RunInfo info) {
        this.o = o;
        this.results = List.copyOf(results);
        this.baselines = new Baselines(results);
        this.info = info;
    }

    /**
     * Writes the report: replaces the generated part of an existing page, or writes a new page around it.
     */
    void write(Path page) throws IOException {
        Files.createDirectories(page.toAbsolutePath().getParent());
        String generated = BEGIN + "\n" + generated() + END + "\n";
        String old = Files.exists(page) ? Files.readString(page) : null;
        Files.writeString(page, splice(old, generated));
    }

    /**
     * The page with its generated part replaced; a new page if there was none or it has no markers.
     */
    static String splice(String old, String generated) {
        if (old != null) {
            int b = old.indexOf(BEGIN);
            int e = old.indexOf(END);
            if (b >= 0 && e > b) {
                return old.substring(0, b) + generated
                        + old.substring(e + END.length()).replaceFirst("^\n", "");
            }
        }
        return "# Latency under load: local quiescence against a global barrier, HotSwap, "
                + "a restart and CRIU\n\n"
                + "What a live patch costs the requests a server is answering while it is applied, measured "
                + "the way the WfPatch evaluation (OSDI'20) did. Produced by `scripts/bench-latency`; the "
                + "figures below are replaced by each full run.\n\n" + generated;
    }

    private String generated() {
        StringBuilder r = new StringBuilder();
        method(r);
        for (Workload w : o.workloads()) {
            workload(r, w);
        }
        sweep(r);
        targets(r);
        jmh(r);
        files(r);
        return r.toString();
    }

    // ---- how it was measured ----

    /** What was run: the full suite only when no option narrowed or changed it. */
    private String runKind() {
        if (o.quick()) {
            return "`--quick`";
        }
        return info.command().equals("scripts/bench-latency")
                ? "the full suite"
                : "a chosen part (see the command)";
    }

    private void method(StringBuilder r) {
        r.append("## How this was measured\n\n");
        r.append(String.format(Locale.ROOT,
                "- Run %s, %s on %d CPUs (Linux %s); harness and servers on JDK %s (%s). "
                        + "Total time of the harness: %d min %02d s.%n",
                info.started().truncatedTo(ChronoUnit.SECONDS), runKind(),
                Runtime.getRuntime().availableProcessors(), osRelease(), Runtime.version(),
                System.getProperty("java.vm.name"), info.took().toMinutes(), info.took().toSecondsPart()));
        r.append("- Command: `").append(info.command()).append("`\n");
        r.append(String.format(Locale.ROOT,
                "- Load: open loop at a fixed %.0f requests/s (Jetty HttpClient in the harness JVM, -Xmx1g); "
                        + "each request's latency runs from its **intended** send time to the complete "
                        + "response, so a stall cannot hide behind requests that were never sent (no "
                        + "coordinated omission). HdrHistogram, 3 significant digits. The request mix is "
                        + "drawn from a seeded random source: every scenario gets the same sequence of "
                        + "requests. No client retries.%n",
                o.rate()));
        r.append(String.format(Locale.ROOT,
                "- Each scenario runs in a **fresh server JVM**: demo-server v1, %d keys, "
                        + "`-Xms512m -Xmx512m -XX:+PerfDisableSharedMem`, HotSpot's safepoint log, "
                        + "the agent in prepared mode (`-javaagent:livepatch4j-agent.jar=%s`)%s. "
                        + "%.0f s of load first (warm-up, not counted), then %.0f s measured%s.%n",
                o.keys(),
                "packages=" + ServerJvm.AGENT_PACKAGES + ",globalTimeoutMillis=" + o.globalTimeoutMillis(),
                o.serverOptions().isEmpty() ? "" : ", and `" + String.join(" ", o.serverOptions()) + "`",
                o.warmupSeconds(), o.measureSeconds(),
                o.sweepThreads().isEmpty() ? "" : String.format(Locale.ROOT,
                        " (the thread sweep: %.0f s and %.0f s)",
                        o.sweepWarmupSeconds(), o.sweepMeasureSeconds())));
        r.append(String.format(Locale.ROOT,
                "- `local`, `global`, `redefine`: from 0.5 s into the measured period, every %.1f-%.1f s "
                        + "(uniform jitter, seeded: the same instants for each strategy) the harness "
                        + "alternately applies the v1-to-v2 patch (%s) and rolls back to G0, through the "
                        + "agent's control socket (no lp4j JVM is started during the measurement); each "
                        + "operation waits for its transition to complete. Each run first applies and rolls "
                        + "back once during its warm-up (30%% into it), so the measured period shows "
                        + "repeated patching in its steady state, as the WfPatch evaluation measured it: the "
                        + "first apply in a JVM loads and runs the agent's cold apply path (about 350 "
                        + "classes; ten times the CPU of a later apply), and its figures are listed per run "
                        + "below.%n",
                o.minGapSeconds(), o.maxGapSeconds(), info.patchSummary()));
        r.append(String.format(Locale.ROOT,
                "- `global` gives up after `globalTimeoutMillis` = %d ms (agent option; the default is "
                        + "10 s): four times the longest request (~500 ms), so on this load a timeout means "
                        + "a request far slower than designed, and a barrier never holds every new request "
                        + "for longer than that. A timed-out apply switches nothing and is counted.%n",
                o.globalTimeoutMillis()));
        r.append(String.format(Locale.ROOT,
                "- `restart` and `criu` act once, %.0f%% into the measured period. `restart`: SIGTERM to v1 "
                        + "(Jetty finishes the requests in flight), then v2 started on the same port, "
                        + "filling the same %d keys (writes made to v1 are lost). `criu`: the server was "
                        + "started in its own session with its output on a file (`setsid`, as "
                        + "`lp4j-native spawn` does, but as the harness's child so the killed JVM is reaped "
                        + "at once and its PID is free for the restore); "
                        + "`lp4j-native checkpoint --tcp-established` (dump, kill), then "
                        + "`lp4j-native restore` (the same process, heap and connections back). Requests due "
                        + "while the server is down fail (no listener) or wait (their connection is locked). "
                        + "No client retries.%n",
                o.disruptAt() * 100, o.keys()));
        r.append("- Columns: percentiles of all requests due in the measured period, in ms; failed requests "
                + "(errors, timeouts, unexpected status) are counted and not timed; **mixed**: responses "
                + "whose version stamps show v1 and v2 code in one request; **×base**: p99.9 over the "
                + "`none` run's in the same table; **transitions**: operations completed / tried (timed "
                + "out), and the median and max time of the completed ones (local/global: the agent's own "
                + "measure, from the apply until the last thread's quiescence point, or until the barrier "
                + "switched; redefine: the redefineClasses call; restart/criu: the whole operation); "
                + "**safepoints**: global safepoints of the server in the measured period and their total "
                + "pause (time to reach plus time at the safepoint); **other CPU**: CPU used by processes "
                + "other than the harness and the server at normal priority, in percent of one CPU (the "
                + "machine is shared; processes started with `nice` are listed apart in the notes, as they "
                + "yield the CPUs to the server). Before each run the harness waits (up to 60 s, within its "
                + "time budget) until the machine is idle; a run during which other processes took more than "
                + QuietMachine.DISTURBED_ABOVE_PCT + "% of a CPU is repeated up to " + o.retries()
                + " time(s) if time allows, and the least disturbed one is kept: reruns depend on that "
                + "interference only, never on the latency measured.\n\n");
    }

    private static String osRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }

    // ---- tables ----

    private void workload(StringBuilder r, Workload w) {
        List<ScenarioResult> rows = results.stream().filter(x -> x.spec().group().equals(RunSpec.MAIN)
            && x.spec().workload() == w).toList();
        if (rows.isEmpty()) {
            return;
        }
        r.append("## Workload `").append(w.word()).append("`: ").append(w.description()).append("\n\n");
        r.append(String.format(Locale.ROOT,
                "%.0f req/s, %d server worker threads, %.0f s measured per scenario.%n%n",
                o.rate(), o.threads(), o.measureSeconds()));
        r.append("| scenario | requests | p50 | p90 | p99 | p99.9 | max | p99.9 ×base | failed | mixed "
                + "| transitions | transition median / max ms | safepoints (pause ms) | other CPU |\n");
        r.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
        for (ScenarioResult x : rows) {
            if (!x.ran()) {
                r.append("| ").append(x.spec().scenario().word()).append(" | **skipped**: ")
                        .append(x.skipped()).append(" |||||||||||||\n");
                continue;
            }
            r.append(String.format(Locale.ROOT,
                    "| %s | %d | %s | %s | %s | **%s** | %s | **%s** | %d | %d | %s | %s | %s | %s |%n",
                    x.spec().scenario().word(), x.all().requests(), ms(x.all().p50Ms()), ms(x.all().p90Ms()),
                    ms(x.all().p99Ms()), ms(x.all().p999Ms()), ms(x.all().maxMs()),
                    times(baselines.p999Ratio(x)), x.failed(), x.all().mixed(),
                    transitions(x), transitionTimes(x), safepoints(x), pct(x.cpu().other())));
        }
        r.append('\n');
        if (w.hasLongRequests()) {
            r.append("The same runs, **short requests only** (the long scans left out): what the requests "
                    + "that wait behind a long one see.\n\n");
            r.append("| scenario | short requests | p50 | p99 | p99.9 | max | p99.9 ×base |\n");
            r.append("|---|---:|---:|---:|---:|---:|---:|\n");
            for (ScenarioResult x : rows) {
                if (x.ran()) {
                    r.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | **%s** | %s | **%s** |%n",
                        x.spec().scenario().word(), x.shortOnly().requests(), ms(x.shortOnly().p50Ms()),
                        ms(x.shortOnly().p99Ms()), ms(x.shortOnly().p999Ms()), ms(x.shortOnly().maxMs()),
                        times(baselines.shortP999Ratio(x))));
                }
            }
            r.append('\n');
        }
        details(r, rows);
        r.append("![percentiles, ").append(w.word()).append("](latency/").append(w.word())
            .append("-percentiles.png)\n\n");
        if (w.hasLongRequests()) {
            r.append("![percentiles, short requests of the mixed workload](latency/").append(w.word())
                .append("-short-percentiles.png)\n\n");
        }
        r.append("Latency over time, one dot per request:\n\n");
        for (ScenarioResult x : rows) {
            if (x.ran()) {
                r.append("![").append(x.spec().key()).append("](latency/").append(x.spec().tag())
                        .append(".png)\n");
            }
        }
        r.append('\n');
    }

    private void details(StringBuilder r, List<ScenarioResult> rows) {
        for (ScenarioResult x : rows) {
            if (!x.ran()) {
                continue;
            }
            List<String> notes = new ArrayList<>();
            for (Disruption d : x.warmupEvents()) {
                notes.add(String.format(Locale.ROOT,
                                "warm-up %s (%s, not measured): call %.0f ms, until complete %.0f ms",
                                d.kind(), d == x.warmupEvents().get(0) ? "the first in this JVM" : "",
                                d.callMillis(), d.wallMillis())
                        .replace(" (, not measured)", " (not measured)")
                        + (d.outcome() == Disruption.Outcome.DONE
                                ? ""
                                : " (" + d.outcome().name().toLowerCase(Locale.ROOT) + ")"));
            }
            Transitions t = x.transitions();
            if (t.timedOut() > 0) {
                notes.add(t.timedOut() + " global apply(s) timed out (nothing switched)");
            }
            if (t.incomplete() > 0) {
                notes.add(t.incomplete() + " transition(s) still running when the next operation was due");
            }
            if (t.failed() > 0) {
                notes.add(t.failed() + " operation(s) failed: " + x.events().stream()
                        .filter(d -> d.outcome() == Disruption.Outcome.FAILED)
                        .findFirst().map(Disruption::note).orElse(""));
            }
            x.events().stream().filter(d -> !d.patch()).forEach(d -> notes.add(d.kind() + ": " + d.note()
                + String.format(Locale.ROOT, "; %.0f ms in all", d.wallMillis())));
            if (x.failed() > 0) {
                notes.add(String.format(Locale.ROOT, "failed requests were due over %.0f ms",
                        x.failedSpanMs()));
            }
            if (x.unanswered() > 0) {
                notes.add(x.unanswered() + " request(s) had not answered when the harness stopped waiting "
                        + "(counted as failed)");
            }
            if (x.safepoints().count() > 0) {
                notes.add(String.format(Locale.ROOT, "safepoints: %s; %d overlapped an operation (%.1f ms)",
                        x.safepoints().namesText(), x.safepoints().duringDisruptions(),
                        x.safepoints().pauseDuringMillis()));
            }
            notes.add(String.format(Locale.ROOT, "%d handshakes", x.safepoints().handshakes()));
            notes.add(String.format(Locale.ROOT,
                    "CPU (percent of one CPU): server %s, its JIT compiler threads %s, load driver %s, "
                            + "other processes %s (and %s at a lower priority)",
                    pct(x.cpu().server()), pct(x.cpu().jit()), pct(x.cpu().driver()), pct(x.cpu().other()),
                    pct(x.cpu().niced())));
            if (x.attempts() > 1) {
                notes.add("run " + x.attempts()
                        + " times because other processes disturbed it; the least disturbed kept");
            }
            r.append("- `").append(x.spec().scenario().word()).append("`: ").append(String.join("; ", notes))
                    .append(".\n");
        }
        r.append('\n');
    }

    private void sweep(StringBuilder r) {
        List<Integer> threads = o.sweepThreads();
        if (threads.isEmpty()) {
            return;
        }
        r.append("## Thread sweep: `local` against `global`, mixed workload\n\n");
        r.append(String.format(Locale.ROOT,
                "Server worker threads varied, the same %.0f req/s; a `none` baseline per thread count. "
                        + "%.0f s measured after %.0f s of warm-up, except the row with %d threads, which "
                        + "reuses the main runs above (%.0f s).%n%n",
                o.rate(), o.sweepMeasureSeconds(), o.sweepWarmupSeconds(), o.threads(), o.measureSeconds()));
        r.append("| threads | none p99.9 | local p99.9 (×base) | global p99.9 (×base) | none short p99.9 "
            + "| local short p99.9 (×base) | global short p99.9 (×base) | local failed / mixed "
            + "| global failed / mixed / timed out |\n");
        r.append("|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (int t : threads) {
            Optional<ScenarioResult> none = sweepRun(t, Scenario.NONE);
            Optional<ScenarioResult> local = sweepRun(t, Scenario.LOCAL);
            Optional<ScenarioResult> global = sweepRun(t, Scenario.GLOBAL);
            r.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    t, none.map(x -> ms(x.all().p999Ms())).orElse("-"),
                    local.map(x -> ms(x.all().p999Ms())
                            + " (" + times(baselines.p999Ratio(x)) + ")").orElse("-"),
                    global.map(x -> ms(x.all().p999Ms())
                            + " (" + times(baselines.p999Ratio(x)) + ")").orElse("-"),
                    none.map(x -> ms(x.shortOnly().p999Ms())).orElse("-"),
                    local.map(x -> ms(x.shortOnly().p999Ms())
                            + " (" + times(baselines.shortP999Ratio(x)) + ")").orElse("-"),
                    global.map(x -> ms(x.shortOnly().p999Ms())
                            + " (" + times(baselines.shortP999Ratio(x)) + ")").orElse("-"),
                    local.map(x -> x.failed() + " / " + x.all().mixed()).orElse("-"),
                    global.map(x -> x.failed() + " / " + x.all().mixed() + " / " + x.transitions().timedOut())
                            .orElse("-")));
        }
        r.append("\n![sweep](latency/sweep-percentiles.png)\n\n");
    }

    /** The sweep's run for a thread count: the main mixed run for the main count, else the sweep's own. */
    Optional<ScenarioResult> sweepRun(int threads, Scenario s) {
        return results.stream()
                .filter(x -> x.ran() && x.spec().workload() == Workload.MIXED && x.spec().scenario() == s
                        && x.spec().threads() == threads)
                .filter(x -> x.spec().group().equals(RunSpec.SWEEP) || threads == o.threads())
                .min((a, b) -> a.spec().group().equals(RunSpec.MAIN) ? -1 : 1);
    }

    private void targets(StringBuilder r) {
        r.append("## Targets\n\n");
        for (ScenarioResult x : results) {
            if (!x.spec().group().equals(RunSpec.MAIN) || !x.ran()) {
                continue;
            }
            double ratio = baselines.p999Ratio(x);
            String key = "`" + x.spec().key() + "`";
            switch (x.spec().scenario()) {
                case LOCAL -> {
                    boolean met = ratio <= 1.1 && x.failed() == 0 && x.all().mixed() == 0;
                    r.append(String.format(Locale.ROOT,
                            "- %s: p99.9 %s× the baseline's (target at most 1.1×), %d failed, "
                                    + "%d mixed (target 0 and 0): **%s**.%n",
                            key, ratio(ratio), x.failed(), x.all().mixed(), met ? "met" : "missed"));
                }
                case GLOBAL -> r.append(String.format(Locale.ROOT,
                        "- %s: p99.9 %s× the baseline's, p99 %s×; the short requests' p99.9 %s× "
                                + "(%s ms against %s ms); %d of %d applies and rollbacks timed out.%n",
                        key, ratio(ratio), ratio(baselines.p99Ratio(x)), ratio(baselines.shortP999Ratio(x)),
                        ms(x.shortOnly().p999Ms()),
                        baselines.baselineOf(x).map(b -> ms(b.shortOnly().p999Ms())).orElse("-"),
                        x.transitions().timedOut(), x.transitions().attempted()));
                case REDEFINE -> r.append(String.format(Locale.ROOT,
                        "- %s: %d requests ran v1 and v2 code in one request "
                                + "(of %d); p99.9 %s× the baseline's.%n",
                        key, x.all().mixed(), x.all().requests(), ratio(ratio)));
                default -> { }
            }
        }
        r.append('\n');
    }

    /**
     * The agent issue's results page, where scripts/bench-agent writes it (docs/results, whatever --out
     * says).
     */
    static final Path AGENT_PAGE = Path.of("docs", "results", "agent.md");

    private void jmh(StringBuilder r) {
        r.append("## The agent's own cost (JMH, from the agent issue)\n\n");
        Path page = AGENT_PAGE.toAbsolutePath().normalize();
        String link = o.out().toAbsolutePath().normalize().relativize(page).toString();
        if (Files.exists(page)) {
            r.append("The call-cost and safepoint benchmarks (`scripts/bench-agent`) are in [agent.md](")
                    .append(link).append("). ");
        } else {
            r.append("The call-cost and safepoint benchmarks (`scripts/bench-agent`) will be in "
                    + "`docs/results/agent.md`; it did not exist when this report was generated. ");
        }
        List<String> table = callCostTable(page.resolveSibling("agent").resolve("callcost.md"));
        if (!table.isEmpty()) {
            r.append("Its call-cost table, copied as it stood when this report was generated:\n\n");
            table.forEach(l -> r.append(l).append('\n'));
        }
        r.append("\n");
    }

    /**
     * The first markdown table of the call-cost page with the lines that say how it was measured, or
     * nothing.
     */
    static List<String> callCostTable(Path md) {
        List<String> lines;
        try {
            lines = Files.exists(md) ? Files.readAllLines(md) : List.of();
        } catch (IOException e) {
            return List.of();
        }
        int first = 0;
        while (first < lines.size() && !lines.get(first).startsWith("|")) {
            first++;
        }
        if (first == lines.size()) {
            return List.of();
        }
        int paragraphEnd = first;
        while (paragraphEnd > 0 && lines.get(paragraphEnd - 1).isBlank()) {
            paragraphEnd--;
        }
        int from = paragraphEnd;
        while (from > 0 && !lines.get(from - 1).isBlank() && !lines.get(from - 1).startsWith("#")) {
            from--;
        }
        List<String> out = new ArrayList<>();
        for (int i = from; i < paragraphEnd; i++) {
            out.add(lines.get(i));
        }
        if (!out.isEmpty()) {
            out.add("");
        }
        for (int i = first; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            out.add(lines.get(i));
        }
        return out;
    }

    private void files(StringBuilder r) {
        r.append("## Files\n\n");
        r.append("In `latency/`: `summary.csv` (one row per run: every figure above), `events.csv` (each "
                + "apply, rollback, restart and checkpoint-restore: when, outcome, call and transition "
                + "time), `<workload>-<scenario>.hlog` (HdrHistogram interval logs, one histogram per second "
                + "of the measured period, values in ns; the mixed workload's intervals tagged `short` hold "
                + "the short requests; read them with HdrHistogram's `HistogramLogProcessor` or "
                + "HistogramLogAnalyzer), and the plots.\n\n");
    }

    // ---- formatting ----

    private static String transitions(ScenarioResult x) {
        Transitions t = x.transitions();
        if (t.attempted() == 0) {
            return "-";
        }
        return t.done() + "/" + t.attempted() + (t.timedOut() > 0 ? " (" + t.timedOut() + " timed out)" : "");
    }

    private static String transitionTimes(ScenarioResult x) {
        Transitions t = x.transitions();
        return t.done() == 0 ? "-" : ms(t.medianMillis()) + " / " + ms(t.maxMillis());
    }

    private static String safepoints(ScenarioResult x) {
        return x.safepoints().count() + " ("
                + String.format(Locale.ROOT, "%.1f", x.safepoints().pauseMillis()) + ")";
    }

    static String ms(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    static String ratio(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String times(double v) {
        return Double.isNaN(v) ? "-" : ratio(v) + "×";
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f%%", v);
    }
}
