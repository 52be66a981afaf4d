package io.livepatch4j.bench.callcost;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Runs the call-cost benchmark through JMH's Runner API: each case in its own forked JVM, started
 * with the agent (prepared mode, only the target package) or without it. Cases are interleaved:
 * round r runs one fork of every case in turn, so on a shared, noisy machine a slow minute hits all
 * cases alike and ratios compare like with like. Prints the table and writes callcost.csv and
 * callcost.md (the table with its settings) to --out.
 *
 * <pre>
 * java -cp ... io.livepatch4j.bench.callcost.CallCostMain --agent-jar agent/target/livepatch4j-agent-0.1.0.jar
 *      [--quick] [--rounds N] [--jvm /path/to/java] [--cases no-agent,agent-elsewhere,unpatched] [--out DIR] [--logs DIR]
 *      [--fork-arg -XX:+UnlockDiagnosticVMOptions --fork-arg -XX:+PrintInlining]...
 * </pre>
 * {@code --fork-arg} adds a JVM option to every fork (its output lands in the fork's JMH log).
 */
public final class CallCostMain {

    /** JMH settings; the quick ones only check that every case runs. */
    record Settings(int rounds, int warmups, int warmupMillis, int iterations, int iterationMillis) {
        /** Fork-to-fork variation dominates here, so many short forks rather than a few long ones. */
        static final Settings FULL = new Settings(8, 4, 500, 5, 500);
        static final Settings QUICK = new Settings(1, 2, 500, 3, 500);

        String describe() {
            return String.format(Locale.ROOT, "JMH 1.37, mode avgt, 1 thread; %d round(s) × 1 fork per case; "
                + "warm-up %d × %d ms, measurement %d × %d ms per fork; fork JVM options %s",
                rounds, warmups, warmupMillis, iterations, iterationMillis, String.join(" ", FORK_JVM_ARGS));
        }
    }

    static final List<String> FORK_JVM_ARGS = List.of("-Xms512m", "-Xmx512m", "-Djmh.executor=CUSTOM",
        "-Djmh.executor.class=" + OutsideUnitsExecutor.class.getName());

    private CallCostMain() {}

    /** The command line (see the class comment). */
    @picocli.CommandLine.Command(name = "CallCostMain", mixinStandardHelpOptions = true,
        description = "The cost of a patchable call, each case in its own forked JVM, cases interleaved by round.")
    static final class Options {
        @picocli.CommandLine.Mixin
        io.livepatch4j.bench.AgentJarOptions agent;

        @picocli.CommandLine.Option(names = "--quick", description = "one round of short forks: checks that every case runs")
        boolean quick;

        @picocli.CommandLine.Option(names = "--rounds", paramLabel = "N", description = "rounds (default: 8; --quick 1)")
        Integer rounds;

        @picocli.CommandLine.Option(names = "--jvm", paramLabel = "JAVA", description = "the java that runs the forks "
            + "(default: this JVM's)")
        String jvm;

        @picocli.CommandLine.Option(names = "--cases", paramLabel = "CASE", split = ",", converter = CallCase.Word.class,
            description = "the cases, by id (default: all)")
        List<CallCase> cases = List.of(CallCase.values());

        @picocli.CommandLine.Option(names = "--logs", paramLabel = "DIR", defaultValue = "benchmarks/target/bench-agent",
            description = "where each fork's JMH log goes (default: ${DEFAULT-VALUE})")
        Path logs;

        @picocli.CommandLine.Option(names = "--fork-arg", paramLabel = "OPTION", description = "one more JVM option for "
            + "every fork (repeatable)")
        List<String> forkArgs = new ArrayList<>();
    }

    public static void main(String[] args) throws Exception {
        Options o = io.livepatch4j.bench.MainOptions.parseOrExit(new Options(), args);
        Settings settings = o.quick ? Settings.QUICK : Settings.FULL;
        String jvm = o.jvm;
        List<CallCase> cases = o.cases;
        Path out = o.agent.out();
        Path logs = o.logs;
        List<String> forkArgs = o.forkArgs;
        if (o.rounds != null) {
            settings = new Settings(o.rounds, settings.warmups(), settings.warmupMillis(), settings.iterations(),
                settings.iterationMillis());
        }
        Path agentJar = cases.stream().anyMatch(CallCase::agent) ? o.agent.checkedAgentJar() : o.agent.agentJar();
        Files.createDirectories(logs);

        CallCostResults results = new CallCostResults();
        String jdk = null;
        for (int round = 1; round <= settings.rounds(); round++) {
            for (CallCase c : cases) {
                Path log = logs.resolve("callcost-round" + round + "-" + c.id() + ".log");
                RunResult r = runFork(c, settings, agentJar.toAbsolutePath(), jvm, forkArgs, log);
                BenchmarkResult b = r.getBenchmarkResults().iterator().next();
                double[] scores = b.getIterationResults().stream().map(IterationResult::getPrimaryResult)
                    .mapToDouble(Result::getScore).toArray();
                CallCostResults.Fork fork = new CallCostResults.Fork(c, round, scores);
                results.add(fork);
                jdk = jdkOf(b.getParams());
                System.out.printf(Locale.ROOT, "round %d/%d  %-21s %9.3f ns/op (mean of %d iterations; JMH log %s)%n",
                    round, settings.rounds(), c.id(), fork.mean(), scores.length, log);
            }
        }

        String table = results.table();
        String header = "Call cost of Mixer.mix (ns per call, lower is better) on " + jdk + ".\n"
            + settings.describe() + (forkArgs.isEmpty() ? "" : " " + String.join(" ", forkArgs)) + ".\n";
        System.out.println();
        System.out.println(header);
        System.out.println(table);
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("callcost.csv"), results.csv(jdk));
            Files.writeString(out.resolve("callcost.md"), header + "\n" + table);
        }
    }

    private static RunResult runFork(CallCase c, Settings s, Path agentJar, String jvm, List<String> forkArgs, Path log)
        throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder()
            .include("^" + Pattern.quote(CallCostBenchmark.class.getName() + ".call") + "$")
            .param("callCase", c.id())
            .forks(1)
            .threads(1)
            .warmupIterations(s.warmups())
            .warmupTime(TimeValue.milliseconds(s.warmupMillis()))
            .measurementIterations(s.iterations())
            .measurementTime(TimeValue.milliseconds(s.iterationMillis()))
            .jvmArgs(FORK_JVM_ARGS.toArray(new String[0]))
            .shouldFailOnError(true)
            .verbosity(VerboseMode.NORMAL)
            .output(log.toString());
        List<String> append = new ArrayList<>(forkArgs);
        if (c.agent()) {
            append.add("-javaagent:" + agentJar + "=packages=" + c.preparedPackage());
        }
        if (!append.isEmpty()) {
            o.jvmArgsAppend(append.toArray(new String[0]));
        }
        if (jvm != null) {
            o.jvm(jvm);
        }
        List<RunResult> results = new ArrayList<>(new Runner(o.build()).run());
        if (results.size() != 1) {
            throw new IllegalStateException("case " + c.id() + ": expected one JMH result, got " + results.size()
                + "; see " + log);
        }
        return results.get(0);
    }

    private static String jdkOf(BenchmarkParams p) {
        return p.getVmName() + " " + p.getVmVersion() + " (JDK " + p.getJdkVersion() + ")";
    }
}
