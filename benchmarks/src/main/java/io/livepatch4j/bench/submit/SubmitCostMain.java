package io.livepatch4j.bench.submit;

import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.ListStatistics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The cost of carrying a unit of work across a task submission: {@link SubmitCostBenchmark} in
 * forks without the agent and with it (prepared mode, no package of this benchmark prepared), from
 * inside a unit and outside one, interleaved in rounds so that a noisy minute hits every case alike.
 * Prints ns per task (median of all measurement iterations) and the difference to the same
 * submission without the agent.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.livepatch4j.bench.submit.SubmitCostMain \
 *      --agent-jar agent/target/livepatch4j-agent-0.1.0.jar [--rounds N] [--out FILE]
 * </pre>
 */
public final class SubmitCostMain {

    private record Case(String id, boolean agent, String where) {
    }

    private static final List<Case> CASES = List.of(
        new Case("no agent, outside a unit", false, "outside-unit"),
        new Case("no agent, inside Quiescence.run", false, "in-unit"),
        new Case("agent, outside a unit", true, "outside-unit"),
        new Case("agent, inside a unit (carried)", true, "in-unit"));

    private SubmitCostMain() {}

    /** The command line (see the class comment). */
    @picocli.CommandLine.Command(name = "SubmitCostMain", mixinStandardHelpOptions = true,
        description = "The cost of submitting a task to an executor, with and without the agent.")
    static final class Options {
        @picocli.CommandLine.Mixin
        io.livepatch4j.bench.AgentJarOptions agent;

        @picocli.CommandLine.Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
            description = "rounds of one fork per case (default: ${DEFAULT-VALUE})")
        int rounds;
    }

    public static void main(String[] args) throws Exception {
        Options options = io.livepatch4j.bench.MainOptions.parseOrExit(new Options(), args);
        Path agentJar = options.agent.checkedAgentJar();
        int rounds = options.rounds;
        Path out = options.agent.out();
        Map<Case, ListStatistics> scores = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Case c : CASES) {
                ChainedOptionsBuilder o = new OptionsBuilder()
                    .include("^" + Pattern.quote(SubmitCostBenchmark.class.getName() + ".submit") + "$")
                    .param("where", c.where())
                    .forks(1).threads(1)
                    .warmupIterations(3).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(5).measurementTime(TimeValue.milliseconds(500))
                    .jvmArgs("-Xms256m", "-Xmx256m")
                    .shouldFailOnError(true)
                    .verbosity(VerboseMode.SILENT);
                if (c.agent()) {
                    o.jvmArgsAppend("-javaagent:" + agentJar.toAbsolutePath() + "=packages=io.livepatch4j.bench.none");
                }
                RunResult r = new Runner(o.build()).runSingle();
                ListStatistics s = scores.computeIfAbsent(c, k -> new ListStatistics());
                for (IterationResult it : r.getBenchmarkResults().iterator().next().getIterationResults()) {
                    Result<?> p = it.getPrimaryResult();
                    s.addValue(p.getScore());
                }
                System.out.printf(Locale.ROOT, "round %d/%d  %-32s %8.1f ns/task%n", round, rounds, c.id(),
                    r.getPrimaryResult().getScore());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("| case | ns per task (median) | mean ± error | vs. the same submission without the agent |");
        lines.add("|---|---:|---:|---:|");
        for (Case c : CASES) {
            ListStatistics s = scores.get(c);
            String vs = "";
            if (c.agent()) {
                ListStatistics base = scores.get(CASES.stream()
                    .filter(b -> !b.agent() && b.where().equals(c.where())).findFirst().orElseThrow());
                double d = s.getPercentile(50) - base.getPercentile(50);
                vs = String.format(Locale.ROOT, "%+.1f ns (%.2fx)", d, s.getPercentile(50) / base.getPercentile(50));
            }
            lines.add(String.format(Locale.ROOT, "| %s | %.1f | %.1f ± %.1f | %s |", c.id(), s.getPercentile(50),
                s.getMean(), s.getMeanErrorAt(0.999), vs));
        }
        String table = String.join("\n", lines) + "\n";
        String header = String.format(Locale.ROOT, "Submit cost: %d tasks per batch through a one-thread "
            + "ThreadPoolExecutor, ns per task; %s; %d round(s) × 1 fork per case, 3 × 500 ms warm-up, "
            + "5 × 500 ms measurement.%n", SubmitCostBenchmark.BATCH, Runtime.version(), rounds);
        System.out.println();
        System.out.println(header);
        System.out.println(table);
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, header + "\n" + table);
        }
    }
}
