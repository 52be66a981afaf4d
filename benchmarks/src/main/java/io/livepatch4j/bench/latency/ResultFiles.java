package io.livepatch4j.bench.latency;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The machine-readable results: summary.csv (one row per run), events.csv (one row per apply,
 * rollback, restart or checkpoint-restore) and the one-line JSON summary the harness prints last.
 */
final class ResultFiles {

    private ResultFiles() {}

    /** One column of summary.csv: its name and how a run that ran fills it. */
    private record Column(String name, Function<ScenarioResult, Object> value) {
    }

    /** The columns that describe the run, filled for a skipped run too. */
    private static final List<Column> SPEC = List.of(
        new Column("key", r -> r.spec().key()),
        new Column("group", r -> r.spec().group()),
        new Column("workload", r -> r.spec().workload().word()),
        new Column("scenario", r -> r.spec().scenario().word()),
        new Column("threads", r -> r.spec().threads()),
        new Column("rate_rps", r -> r.spec().rate()),
        new Column("warmup_s", r -> r.spec().warmupSeconds()),
        new Column("measured_s", r -> r.spec().measureSeconds()));

    /** What a run measured; empty for a skipped one. Latency in ms; CPU in percent of one CPU. */
    private static List<Column> measured(Baselines b) {
        return List.of(
            new Column("requests", r -> r.all().requests()),
            new Column("failed", ScenarioResult::failed),
            new Column("unanswered", ScenarioResult::unanswered),
            new Column("mixed", r -> r.all().mixed()),
            new Column("p50_ms", r -> r.all().p50Ms()),
            new Column("p90_ms", r -> r.all().p90Ms()),
            new Column("p99_ms", r -> r.all().p99Ms()),
            new Column("p999_ms", r -> r.all().p999Ms()),
            new Column("max_ms", r -> r.all().maxMs()),
            new Column("p999_ratio", b::p999Ratio),
            new Column("short_p999_ms", r -> r.shortOnly().p999Ms()),
            new Column("short_p999_ratio", b::shortP999Ratio),
            new Column("short_max_ms", r -> r.shortOnly().maxMs()),
            new Column("ops_tried", r -> r.transitions().attempted()),
            new Column("ops_done", r -> r.transitions().done()),
            new Column("ops_timed_out", r -> r.transitions().timedOut()),
            new Column("ops_incomplete", r -> r.transitions().incomplete()),
            new Column("ops_failed", r -> r.transitions().failed()),
            new Column("transition_median_ms", r -> r.transitions().medianMillis()),
            new Column("transition_max_ms", r -> r.transitions().maxMillis()),
            new Column("safepoints", r -> r.safepoints().count()),
            new Column("safepoint_pause_ms", r -> r.safepoints().pauseMillis()),
            new Column("safepoints_during_ops", r -> r.safepoints().duringDisruptions()),
            new Column("handshakes", r -> r.safepoints().handshakes()),
            new Column("failed_span_ms", ScenarioResult::failedSpanMs),
            new Column("server_cpu_pct", r -> r.cpu().server()),
            new Column("jit_cpu_pct", r -> r.cpu().jit()),
            new Column("driver_cpu_pct", r -> r.cpu().driver()),
            new Column("other_cpu_pct", r -> r.cpu().other()),
            new Column("niced_cpu_pct", r -> r.cpu().niced()),
            new Column("busy_cpu_pct", r -> r.cpu().busy()),
            new Column("attempts", ScenarioResult::attempts));
    }

    static void writeSummary(Path csv, List<ScenarioResult> results) throws IOException {
        List<Column> measured = measured(new Baselines(results));
        List<String> header = new ArrayList<>();
        SPEC.forEach(c -> header.add(c.name()));
        measured.forEach(c -> header.add(c.name()));
        header.add("jdk");
        header.add("skipped");
        StringBuilder out = new StringBuilder(String.join(",", header)).append('\n');
        for (ScenarioResult r : results) {
            List<String> row = new ArrayList<>();
            SPEC.forEach(c -> row.add(cell(c.value().apply(r))));
            measured.forEach(c -> row.add(r.ran() ? cell(c.value().apply(r)) : ""));
            row.add(Runtime.version().toString());
            row.add(r.ran() ? "" : quoted(r.skipped()));
            out.append(String.join(",", row)).append('\n');
        }
        Files.writeString(csv, out);
    }

    static void writeEvents(Path csv, List<ScenarioResult> results) throws IOException {
        StringBuilder out = new StringBuilder(
            "key,phase,kind,outcome,start_s,call_ms,wall_ms,agent_transition_ms,generation,note\n");
        for (ScenarioResult r : results) {
            for (Disruption d : r.warmupEvents()) {
                out.append(eventRow(r, "warm-up", d)).append('\n');
            }
            for (Disruption d : r.events()) {
                out.append(eventRow(r, "measured", d)).append('\n');
            }
        }
        Files.writeString(csv, out);
    }

    /** start_s is seconds from the start of the measured period (negative in the warm-up). */
    private static String eventRow(ScenarioResult r, String phase, Disruption d) {
        return String.join(",", r.spec().key(), phase, d.kind(), d.outcome().name().toLowerCase(Locale.ROOT),
            cell((d.startNanos() - r.measuredFromNanos()) / 1e9), cell(d.callMillis()), cell(d.wallMillis()),
            cell(d.agentMillis()), String.valueOf(d.generation()), quoted(d.note()));
    }

    /**
     * The last line the harness prints: per main run p999_ms, p999_ratio, failed, mixed (or why it was
     * skipped).
     */
    static JsonObject json(List<ScenarioResult> results) {
        Baselines b = new Baselines(results);
        JsonObject all = new JsonObject();
        for (ScenarioResult r : results) {
            if (!r.spec().group().equals(RunSpec.MAIN)) {
                continue;
            }
            JsonObject o = new JsonObject();
            if (!r.ran()) {
                o.addProperty("skipped", r.skipped());
            } else {
                o.addProperty("p999_ms", round(r.all().p999Ms()));
                double ratio = b.p999Ratio(r);
                if (Double.isNaN(ratio)) {
                    o.add("p999_ratio", JsonNull.INSTANCE);
                } else {
                    o.addProperty("p999_ratio", round(ratio));
                }
                o.addProperty("failed", r.failed());
                o.addProperty("mixed", r.all().mixed());
            }
            all.add(r.spec().key(), o);
        }
        return all;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String cell(Object v) {
        if (v instanceof Double d) {
            return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.3f", d);
        }
        return String.valueOf(v);
    }

    private static String quoted(String s) {
        return s == null ? "" : "\"" + s.replace("\"", "'").replace("\n", " ") + "\"";
    }
}
