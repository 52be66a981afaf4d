package io.livepatch4j.bench.spawn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code ProcessBuilder.start()} latency by launch mechanism and heap size: the Java side of
 * "A fork() in the road" (HotOS'19). For every heap and mechanism it starts a child JVM with
 * {@code -Xms = -Xmx = heap}, {@code -XX:+AlwaysPreTouch} (every heap page resident, as in a
 * long-running server) and {@code -Djdk.lang.Process.launchMechanism}, which runs
 * {@link LaunchProbe}; then prints a table and writes a CSV.
 *
 * <pre>java -cp benchmarks/target/classes io.livepatch4j.bench.spawn.LaunchBenchmark \
 *     [--heaps 1g,4g] [--mechanisms FORK,VFORK,POSIX_SPAWN] [--runs 100] [--csv FILE]</pre>
 *
 * JDK 17 on Linux accepts FORK, VFORK and POSIX_SPAWN (the default); JDK 21+ warns that VFORK
 * is deprecated.
 */
public final class LaunchBenchmark {
    private LaunchBenchmark() {}

    /** How ProcessBuilder starts a child on Linux (-Djdk.lang.Process.launchMechanism). */
    enum Mechanism { FORK, VFORK, POSIX_SPAWN }

    @picocli.CommandLine.Command(name = "LaunchBenchmark", mixinStandardHelpOptions = true,
        description = "ProcessBuilder.start() latency by launch mechanism and heap size.")
    static final class Options {
        @picocli.CommandLine.Option(names = "--heaps", paramLabel = "LIST", split = ",", defaultValue = "1g,4g",
            description = "the child JVMs' heaps, as -Xmx sizes (default: ${DEFAULT-VALUE})")
        List<String> heaps;

        @picocli.CommandLine.Option(names = "--mechanisms", paramLabel = "LIST", split = ",",
            defaultValue = "FORK,VFORK,POSIX_SPAWN", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
        List<Mechanism> mechanisms;

        /** What each child probe does: the same options as LaunchProbe's, passed on to it. */
        @picocli.CommandLine.Mixin
        LaunchProbe.Options probe;

        @picocli.CommandLine.Option(names = "--csv", paramLabel = "FILE", description = "write the results as CSV")
        Path csv;

        /** The options in {@code args}; null when they asked for help (printed). */
        static Options parse(String[] args) {
            Options o = io.livepatch4j.bench.MainOptions.parse(new Options(), args);
            if (o == null) {
                return null;
            }
            o.heaps = o.heaps.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
            for (String h : o.heaps) {
                if (!h.matches("[0-9]+[kmg]")) {
                    throw new IllegalArgumentException("heap '" + h + "' is not a -Xmx size like 256m or 4g");
                }
            }
            if (o.runs() < 1) {
                throw new IllegalArgumentException("--runs must be at least 1, got " + o.runs());
            }
            return o;
        }

        List<String> heaps() {
            return heaps;
        }

        List<Mechanism> mechanisms() {
            return mechanisms;
        }

        int runs() {
            return probe.runs;
        }

        int warmup() {
            return probe.warmup;
        }

        String program() {
            return probe.program;
        }

        Path csv() {
            return csv;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("LaunchBenchmark: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (o == null) {
            return;
        }
        List<ProbeResult> results = new ArrayList<>();
        PrintStream out = System.out;
        out.printf("# ProcessBuilder.start() of %s, JDK %s, %d runs per cell after %d warm-up runs, child JVMs with "
                + "-Xms=-Xmx and -XX:+AlwaysPreTouch; nearest-rank median and p99 in microseconds%n",
                o.program(), System.getProperty("java.version"), o.runs(), o.warmup());
        out.printf("%-6s %-12s %8s %12s %12s%n", "heap", "mechanism", "rss_MiB", "median_us", "p99_us");
        for (String heap : o.heaps()) {
            for (Mechanism mechanism : o.mechanisms()) {
                ProbeResult r = runChild(o, heap, mechanism);
                results.add(r);
                out.printf("%-6s %-12s %8d %12.0f %12.0f%n", heap, mechanism, r.rssMib(), r.stats().medianUs(),
                        r.stats().p99Us());
            }
        }
        if (o.csv() != null) {
            Files.writeString(o.csv(), toCsv(results), StandardCharsets.UTF_8);
            out.println("# csv: " + o.csv());
        }
    }

    static String toCsv(List<ProbeResult> results) {
        StringBuilder sb = new StringBuilder("heap_mib,mechanism,rss_mib,runs,median_us,p99_us,min_us,max_us,mean_us\n");
        for (ProbeResult r : results) {
            LaunchStats s = r.stats();
            sb.append(String.format(Locale.ROOT, "%d,%s,%d,%d,%.1f,%.1f,%.1f,%.1f,%.1f%n", r.heapMib(), r.mechanism(),
                    r.rssMib(), s.runs(), s.medianUs(), s.p99Us(), s.minUs(), s.maxUs(), s.meanUs()));
        }
        return sb.toString();
    }

    /** The child JVM's command line for one cell. */
    static List<String> childCommand(Options o, String heap, Mechanism mechanism, String classPath) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch", "-XX:+PerfDisableSharedMem",
                "-Djdk.lang.Process.launchMechanism=" + mechanism.name(), "-cp", classPath, LaunchProbe.class.getName(),
                "--runs", Integer.toString(o.runs()), "--warmup", Integer.toString(o.warmup()), "--program", o.program());
    }

    /**
     * Where LaunchProbe's class and picocli (its options) come from (target/classes or jars), so the
     * child finds them under any launcher.
     */
    static String ownClassPath() {
        return location(LaunchProbe.class) + java.io.File.pathSeparator + location(picocli.CommandLine.class);
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate " + c.getName() + "'s classes", e);
        }
    }

    static ProbeResult runChild(Options o, String heap, Mechanism mechanism) throws IOException, InterruptedException {
        List<String> cmd = childCommand(o, heap, mechanism, ownClassPath());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Optional<ProbeResult> result = Optional.empty();
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                Optional<ProbeResult> parsed = ProbeResult.parse(line);
                if (parsed.isPresent()) {
                    result = parsed;
                } else {
                    output.append("    ").append(line).append('\n');
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0 || result.isEmpty()) {
            throw new IllegalStateException("the child JVM for heap " + heap + " and launch mechanism " + mechanism
                    + " exited with " + exit + " and no result. A heap larger than free memory, or a mechanism this JDK "
                    + "does not support (JDK 17 on Linux: FORK, VFORK, POSIX_SPAWN), are the usual causes. Its output:\n"
                    + output + "Its command: " + String.join(" ", cmd));
        }
        return result.get();
    }
}
