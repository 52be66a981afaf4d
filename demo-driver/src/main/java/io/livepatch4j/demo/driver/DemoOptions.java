package io.livepatch4j.demo.driver;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/** The demo's settings, from its command line (scripts/demo passes its arguments through). */
@Command(name = "scripts/demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"The main job: demo-server v1 under an open-loop load, the v1-to-v2 fix built with lp4j build and "
        + "applied live with lp4j apply --wait, and the proof (results/demo/report.md, latency.png; the last line is "
        + "one JSON object)."})
final class DemoOptions {

    @Option(names = "--duration", paramLabel = "S", defaultValue = "40", description = "length of the load in seconds "
        + "(default: ${DEFAULT-VALUE})")
    double durationSeconds;

    @Option(names = "--apply-at", paramLabel = "S", description = "when the patch is applied, in seconds from the start "
        + "(default: a third of --duration)")
    Double applyAt;

    @Option(names = "--warmup", paramLabel = "S", description = "seconds of load left out of the figures "
        + "(default: half of --apply-at, at most 5)")
    Double warmup;

    @Option(names = "--rate", paramLabel = "RPS", defaultValue = "300", description = "open-loop request rate "
        + "(default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--keys", paramLabel = "N", defaultValue = "100000", description = "keys in the server's store "
        + "(default: ${DEFAULT-VALUE})")
    int keys;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "32", description = "the server's worker threads "
        + "(default: ${DEFAULT-VALUE})")
    int serverThreads;

    @Option(names = "--report-passes", paramLabel = "N", defaultValue = "3", description = "passes of each long /report "
        + "request (default: ${DEFAULT-VALUE}, about 90 ms)")
    int reportPasses;

    @Option(names = "--report-share", paramLabel = "F", defaultValue = "0.01", description = "fraction of requests that "
        + "are /report (default: ${DEFAULT-VALUE})")
    double reportShare;

    @Option(names = "--attach", description = "start the server without the agent; lp4j apply loads it (attach mode)")
    boolean attach;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results/demo", description = "where the report goes "
        + "(default: ${DEFAULT-VALUE})")
    Path out;

    @picocli.CommandLine.Mixin
    io.livepatch4j.bench.BuiltJars jars;

    /** Shares of the load's request kinds that have no option. */
    static final double PROBE_SHARE = 0.02;
    static final double PUT_SHARE = 0.10;

    /**
     * The options in {@code args}; null when they asked for help or the version (printed to {@code out}).
     *
     * @throws IllegalArgumentException with the message and the usage when they are wrong
     */
    static DemoOptions parse(String[] args, PrintWriter out) {
        DemoOptions o = io.livepatch4j.bench.MainOptions.parse(new DemoOptions(), out, args);
        if (o == null) {
            return null;
        }
        double at = o.applyAtSeconds();
        double w = o.warmupSeconds();
        if (at <= w || at >= o.durationSeconds - 1) {
            throw new IllegalArgumentException("demo: --apply-at must be after the warm-up (" + w + " s) and at least 1 s "
                + "before the end (" + o.durationSeconds + " s)");
        }
        return o;
    }

    /** The options in {@code args} (a test's), which must not ask for help. */
    static DemoOptions parse(String... args) {
        DemoOptions o = parse(args, new PrintWriter(System.out, true));
        if (o == null) {
            throw new IllegalArgumentException("help was asked for");
        }
        return o;
    }

    double durationSeconds() {
        return durationSeconds;
    }

    double applyAtSeconds() {
        return applyAt != null ? applyAt : durationSeconds / 3;
    }

    double warmupSeconds() {
        return warmup != null ? warmup : Math.min(5, applyAtSeconds() / 2);
    }

    double rate() {
        return rate;
    }

    int keys() {
        return keys;
    }

    int serverThreads() {
        return serverThreads;
    }

    int reportPasses() {
        return reportPasses;
    }

    double reportShare() {
        return reportShare;
    }

    double probeShare() {
        return PROBE_SHARE;
    }

    double putShare() {
        return PUT_SHARE;
    }

    boolean attach() {
        return attach;
    }

    Path out() {
        return out;
    }

    /** The jars it runs. */
    io.livepatch4j.bench.BuiltJars jars() {
        return jars;
    }
}
