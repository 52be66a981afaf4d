package io.livepatch4j.bench.prepared;

import io.livepatch4j.bench.MainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steady-state cost of prepared mode on real code (issue 17): library-heavy workloads, each in a
 * pair of fresh JVMs, one without the agent and one with the agent preparing every package the
 * workload runs (the library's and its own), and pairs of demo servers under an open-loop load. The
 * two of a pair run side by side: library JVMs take half-second turns, servers are measured over the
 * same window, so a shared machine's drift falls on both. Each pair gives one ratio (prepared over
 * plain); the page reports their geometric mean with a paired-t 95% interval ({@link PairedRatio}).
 *
 * <p>What is compared, and why: for the libraries, the workload thread's CPU time per operation
 * (the inverse of its throughput per CPU-second), which a neighbour's load on the two shared CPUs
 * stretches less than wall-clock time (the wall-clock ratio is reported beside it); for the server,
 * its process's CPU time per request at a fixed request rate: everything the server JVM spends but
 * its JIT compiler threads (GC included). Below saturation an open loop's throughput is the offered
 * rate whatever the code costs, and its latency is mostly the network stack, the load generator and
 * queueing on two CPUs, so CPU per request is where a costlier prologue shows first.
 */
@Command(name = "bench-prepared-cost", mixinStandardHelpOptions = true,
    description = "Steady-state cost of prepared mode: library workloads and the demo server, agent against none.")
public final class PreparedCostBench {

    /** The flags of every measured JVM, with the agent or without: fixed heap, collector and code cache. */
    static final List<String> PINNED_FLAGS = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-XX:+UseG1GC",
        "-XX:ReservedCodeCacheSize=240m", "-XX:CICompilerCount=2");

    /** The demo server runs Jetty and SLF4J besides its own package. */
    static final List<String> DEMO_PACKAGES = List.of("io.livepatch4j.demo", "org.eclipse.jetty", "org.slf4j");

    @Option(names = "--agent-jar", paramLabel = "JAR", defaultValue = "agent/target/livepatch4j-agent-0.1.0.jar",
        description = "the agent (default: ${DEFAULT-VALUE})")
    Path agentJar;

    @Option(names = "--demo-jar", paramLabel = "JAR", defaultValue = "demo-server/target/demo-server-v1.jar",
        description = "the demo server (default: ${DEFAULT-VALUE})")
    Path demoJar;

    @Option(names = "--cases", split = ",", paramLabel = "NAME",
        description = "what to measure, in this order: guava, jackson, commons, demo (default: all)")
    List<String> cases = List.of("guava", "jackson", "commons", "demo");

    @Option(names = "--rounds", description = "pairs of JVMs per library workload (default: ${DEFAULT-VALUE})")
    int rounds = 8;

    @Option(names = "--server-rounds", description = "pairs of demo servers (default: ${DEFAULT-VALUE})")
    int serverRounds = 6;

    @Option(names = "--warmup",
        description = "least seconds of warm-up of a library JVM, more until its JIT is quiet (default: ${DEFAULT-VALUE})")
    double warmup = 8;

    @Option(names = "--measure", description = "seconds measured per library JVM, in half-second turns (default: ${DEFAULT-VALUE})")
    double measure = 5;

    @Option(names = "--server-warmup", description = "least seconds of load before the servers are measured, "
        + "more until their JIT is quiet (default: ${DEFAULT-VALUE})")
    double serverWarmup = 8;

    @Option(names = "--server-measure", description = "seconds the server is measured (default: ${DEFAULT-VALUE})")
    double serverMeasure = 10;

    @Option(names = "--rate", description = "requests per second to the demo server (default: ${DEFAULT-VALUE})")
    double rate = 1200;

    @Option(names = "--keys", description = "the demo server's keys (default: ${DEFAULT-VALUE})")
    int keys = 100_000;

    @Option(names = "--agent-packages", split = ",", paramLabel = "PKG",
        description = "prepare these packages instead of every package the workload runs (for diagnosis: "
            + "the agent's presence apart from the library's prologues; default: all of them)")
    List<String> agentPackages;

    @Option(names = "--agent-options", paramLabel = "OPTS",
        description = "more agent options after packages=... (for example ',debug=on'; default: none)")
    String agentOptions = "";

    @Option(names = "--jvm-flag", paramLabel = "FLAG",
        description = "another flag for every measured JVM, both settings (repeatable; for diagnosis)")
    List<String> extraFlags = new ArrayList<>();

    @Option(names = "--agent-jvm-flag", paramLabel = "FLAG",
        description = "another flag for the JVMs with the agent only (repeatable; for diagnosis, e.g. a larger "
            + "-XX:FreqInlineSize to see whether the prologue's bytes are what costs)")
    List<String> agentExtraFlags = new ArrayList<>();

    @Option(names = "--logs", paramLabel = "DIR", defaultValue = "benchmarks/target/bench-prepared-cost/logs",
        description = "each run's output (default: ${DEFAULT-VALUE})")
    Path logs;

    @Option(names = "--out", paramLabel = "DIR", description = "where prepared-cost.csv and prepared-cost-table.md go (default: print only)")
    Path out;

    public static void main(String[] args) throws Exception {
        PreparedCostBench bench = MainOptions.parseOrExit(new PreparedCostBench(), args);
        System.exit(bench.run());
    }

    int run() throws Exception {
        Files.createDirectories(logs);
        List<PairResult> results = new ArrayList<>();
        int maxRounds = Math.max(rounds, serverRounds);
        for (int r = 0; r < maxRounds; r++) {
            for (String c : cases) {
                boolean server = "demo".equals(c);
                if (r >= (server ? serverRounds : rounds)) {
                    continue;
                }
                PairResult res;
                if (server) {
                    res = new DemoServerPair(demoJar, keys, rate, serverWarmup, serverMeasure)
                        .run(r, jvmFlags(false, DEMO_PACKAGES), jvmFlags(true, DEMO_PACKAGES), logs);
                } else {
                    Workloads w = Workloads.of(c);
                    res = new LibraryPair(w, warmup, measure).run(r, jvmFlags(false, w.packages()), jvmFlags(true, w.packages()), logs);
                }
                results.add(res);
                System.out.println(res.line());
            }
        }
        checkSameWork(results);
        String table = Report.table(results, cases);
        System.out.println();
        System.out.println(table);
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("prepared-cost.csv"), Report.csv(results));
            Files.writeString(out.resolve("prepared-cost-table.md"), table);
        }
        return 0;
    }

    private List<String> jvmFlags(boolean agent, List<String> packages) {
        List<String> flags = new ArrayList<>(PINNED_FLAGS);
        flags.addAll(extraFlags);
        if (agent) {
            flags.addAll(agentExtraFlags);
            flags.add("-javaagent:" + agentJar.toAbsolutePath() + "=packages="
                + String.join(",", agentPackages != null ? agentPackages : packages) + agentOptions);
        }
        return flags;
    }

    /** Every run of a workload computed the same result over its first operations, with the agent or not. */
    private static void checkSameWork(List<PairResult> results) {
        Map<String, String> first = new LinkedHashMap<>();
        for (PairResult r : results) {
            for (Map<String, String> run : List.of(r.none(), r.agent())) {
                String sum = run.get("checksum");
                if (sum == null) {
                    continue;
                }
                String before = first.putIfAbsent(r.caseName(), sum);
                if (before != null && !before.equals(sum)) {
                    throw new IllegalStateException(r.caseName() + ": pair " + r.pair() + " computed checksum " + sum
                        + ", an earlier run " + before + ": the runs did not do the same work, so their times do not compare");
                }
            }
        }
    }
}
