package io.livepatch4j.bench.safepoints;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Attributes the VM operations of each child JVM to its windows and says what they add up to: per
 * kind of window, how many windows, how many global safepoints and how long they paused the
 * application threads (sum of each safepoint's "Total"), and the same for handshakes, plus the
 * background rate of safepoints outside the measured windows.
 */
final class SafepointReport {

    /** One child JVM's run: its windows (as it printed them) and the operations its log holds. */
    record ChildRun(String jdk, SafepointCase safepointCase, List<Window> windows, List<SafepointLog.VmOperation> ops,
                    long units, long mixed, String unitKind) {
    }

    /** What ran inside one window. */
    record Counted(Window window, int safepoints, long safepointNanos, Map<String, Integer> safepointNames,
                   int handshakes, long handshakeNanos, Map<String, Integer> handshakeNames) {

        static Counted of(Window w, List<SafepointLog.VmOperation> ops) {
            int sp = 0;
            int hs = 0;
            long spNanos = 0;
            long hsNanos = 0;
            Map<String, Integer> spNames = new TreeMap<>();
            Map<String, Integer> hsNames = new TreeMap<>();
            for (SafepointLog.VmOperation op : ops) {
                if (!w.overlaps(op)) {
                    continue;
                }
                if (op.kind() == SafepointLog.Kind.SAFEPOINT) {
                    sp++;
                    spNanos += op.durationNanos();
                    spNames.merge(op.name(), 1, Integer::sum);
                } else {
                    hs++;
                    hsNanos += op.durationNanos();
                    hsNames.merge(op.name(), 1, Integer::sum);
                }
            }
            return new Counted(w, sp, spNanos, spNames, hs, hsNanos, hsNames);
        }
    }

    /** The windows of one kind in one child run, summed up. */
    record Row(String jdk, SafepointCase safepointCase, String kind, List<Counted> windows) {
        double meanWindowMillis() {
            return windows.stream().mapToLong(c -> c.window().lengthNanos()).average().orElse(0) / 1e6;
        }

        /** NaN where the windows did not record when the call returned (idle, agent-load). */
        double meanCallMillis() {
            if (windows.stream().anyMatch(c -> c.window().returnedNanos() < 0)) {
                return Double.NaN;
            }
            return windows.stream().mapToLong(c -> c.window().callNanos()).average().orElse(0) / 1e6;
        }

        double safepointsPerWindow() {
            return windows.stream().mapToInt(Counted::safepoints).average().orElse(0);
        }

        int maxSafepoints() {
            return windows.stream().mapToInt(Counted::safepoints).max().orElse(0);
        }

        double pauseMicrosPerWindow() {
            return windows.stream().mapToLong(Counted::safepointNanos).average().orElse(0) / 1e3;
        }

        double maxPauseMicros() {
            return windows.stream().mapToLong(Counted::safepointNanos).max().orElse(0) / 1e3;
        }

        int totalSafepoints() {
            return windows.stream().mapToInt(Counted::safepoints).sum();
        }

        double totalPauseMicros() {
            return windows.stream().mapToLong(Counted::safepointNanos).sum() / 1e3;
        }

        double handshakesPerWindow() {
            return windows.stream().mapToInt(Counted::handshakes).average().orElse(0);
        }

        double handshakeMicrosPerWindow() {
            return windows.stream().mapToLong(Counted::handshakeNanos).average().orElse(0) / 1e3;
        }

        Map<String, Integer> safepointNames() {
            return merged(windows.stream().map(Counted::safepointNames).toList());
        }

        Map<String, Integer> handshakeNames() {
            return merged(windows.stream().map(Counted::handshakeNames).toList());
        }
    }

    /** Safepoints in the measured part of a run but outside every window that did something. */
    record Background(String jdk, SafepointCase safepointCase, int safepoints, long pauseNanos, double seconds,
                      Map<String, Integer> names) {
        double perSecond() {
            return seconds > 0 ? safepoints / seconds : 0;
        }
    }

    private static final List<String> KIND_ORDER = List.of(Window.AGENT_LOAD, Window.FIRST_APPLY,
        Window.FIRST_ROLLBACK, Window.APPLY, Window.ROLLBACK, Window.IDLE);

    private final List<ChildRun> runs = new ArrayList<>();

    void add(ChildRun run) {
        runs.add(run);
    }

    List<ChildRun> runs() {
        return List.copyOf(runs);
    }

    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (ChildRun r : runs) {
            for (String kind : KIND_ORDER) {
                List<Counted> counted = r.windows().stream().filter(w -> w.kind().equals(kind))
                    .map(w -> Counted.of(w, r.ops())).toList();
                if (!counted.isEmpty()) {
                    rows.add(new Row(r.jdk(), r.safepointCase(), kind, counted));
                }
            }
        }
        return rows;
    }

    static Background background(ChildRun r) {
        Window run = r.windows().stream().filter(w -> w.kind().equals(Window.RUN)).findFirst()
            .orElseThrow(() -> new IllegalStateException("the child printed no run window"));
        List<Window> busy = r.windows().stream()
            .filter(w -> !w.idle() && !w.kind().equals(Window.RUN) && !w.kind().equals(Window.AGENT_LOAD)).toList();
        long busyNanos = busy.stream().mapToLong(Window::lengthNanos).sum();
        int count = 0;
        long pause = 0;
        Map<String, Integer> names = new TreeMap<>();
        for (SafepointLog.VmOperation op : r.ops()) {
            if (op.kind() != SafepointLog.Kind.SAFEPOINT || !run.overlaps(op)
                || busy.stream().anyMatch(w -> w.overlaps(op))) {
                continue;
            }
            count++;
            pause += op.durationNanos();
            names.merge(op.name(), 1, Integer::sum);
        }
        return new Background(r.jdk(), r.safepointCase(), count, pause, (run.lengthNanos() - busyNanos) / 1e9, names);
    }

    /** A Markdown table per JDK. */
    String table(String jdk) {
        StringBuilder t = new StringBuilder();
        t.append("| case | window | windows | window length, ms (mean) | of which the call, ms (mean) "
            + "| global safepoints per window (mean; max; all windows) "
            + "| safepoint pause, µs (mean per window; max; all windows) | safepoint operations (all windows) "
            + "| handshakes per window (mean) | handshake time per window, µs (mean) | handshake operations (all windows) |\n");
        t.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |\n");
        for (Row r : rows()) {
            if (!r.jdk().equals(jdk)) {
                continue;
            }
            t.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %s | %.2f; %d; %d | %.1f; %.1f; %.1f | %s | %.2f | %.1f | %s |%n",
                r.safepointCase().label(), r.kind(), r.windows().size(), r.meanWindowMillis(),
                Double.isNaN(r.meanCallMillis()) ? "–" : String.format(Locale.ROOT, "%.2f", r.meanCallMillis()),
                r.safepointsPerWindow(), r.maxSafepoints(), r.totalSafepoints(), r.pauseMicrosPerWindow(),
                r.maxPauseMicros(), r.totalPauseMicros(), names(r.safepointNames()),
                r.handshakesPerWindow(), r.handshakeMicrosPerWindow(), names(r.handshakeNames())));
        }
        return t.toString();
    }

    /** Background rates and what the load did, per JDK. */
    String loadTable(String jdk) {
        StringBuilder t = new StringBuilder();
        t.append("| case | units of work run | units that saw two versions | load's tasks are | background safepoints "
            + "outside the windows | per second | their pause, µs | operations |\n");
        t.append("| --- | ---: | ---: | --- | ---: | ---: | ---: | --- |\n");
        for (ChildRun r : runs) {
            if (!r.jdk().equals(jdk)) {
                continue;
            }
            Background b = background(r);
            t.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %d in %.1f s | %.2f | %.1f | %s |%n",
                r.safepointCase().label(), r.units(), r.mixed(), r.unitKind(), b.safepoints(), b.seconds(),
                b.perSecond(), b.pauseNanos() / 1e3, names(b.names())));
        }
        return t.toString();
    }

    List<String> jdks() {
        return runs.stream().map(ChildRun::jdk).distinct().toList();
    }

    /** CSV: one row per window. */
    String csv() {
        StringBuilder c = new StringBuilder("jdk,case,window,rep,window_us,call_us,safepoints,safepoint_pause_us,safepoint_ops,"
            + "handshakes,handshake_us,handshake_ops\n");
        for (Row r : rows()) {
            for (Counted w : r.windows()) {
                c.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%.1f,%.1f,%d,%.1f,%s,%d,%.1f,%s%n", r.jdk(),
                    r.safepointCase().letter(), r.kind(), w.window().rep(), w.window().lengthNanos() / 1e3,
                    w.window().callNanos() / 1e3,
                    w.safepoints(), w.safepointNanos() / 1e3, csvNames(w.safepointNames()), w.handshakes(),
                    w.handshakeNanos() / 1e3, csvNames(w.handshakeNames())));
            }
        }
        return c.toString();
    }

    private static Map<String, Integer> merged(List<Map<String, Integer>> maps) {
        Map<String, Integer> all = new TreeMap<>();
        maps.forEach(m -> m.forEach((k, v) -> all.merge(k, v, Integer::sum)));
        return all;
    }

    private static String names(Map<String, Integer> names) {
        if (names.isEmpty()) {
            return "–";
        }
        Map<String, Integer> ordered = new LinkedHashMap<>();
        names.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
            .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String csvNames(Map<String, Integer> names) {
        return names.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
    }
}
