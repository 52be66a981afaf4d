package io.livepatch4j.bench.spawn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs inside the child JVM that {@link LaunchBenchmark} starts with a given heap and
 * {@code -Djdk.lang.Process.launchMechanism}: times {@code ProcessBuilder.start()} of a trivial
 * program and prints one {@link ProbeResult} line. start() returns once the child has exec'd
 * (the JDK waits for that), so the time covers process creation and exec, not the child's run.
 *
 * <pre>java -XmsH -XmxH -XX:+AlwaysPreTouch -Djdk.lang.Process.launchMechanism=M \
 *     io.livepatch4j.bench.spawn.LaunchProbe --runs N [--warmup W] [--program /bin/true]</pre>
 */
public final class LaunchProbe {
    private LaunchProbe() {}

    /** Its options; LaunchBenchmark takes the same ones and passes them on (a picocli mixin there). */
    static final class Options {
        @picocli.CommandLine.Option(names = "--runs", paramLabel = "N", defaultValue = "100",
            description = "timed starts (default: ${DEFAULT-VALUE})")
        int runs;

        @picocli.CommandLine.Option(names = "--warmup", paramLabel = "W", defaultValue = "10",
            description = "untimed starts before them (default: ${DEFAULT-VALUE})")
        int warmup;

        @picocli.CommandLine.Option(names = "--program", paramLabel = "PATH", defaultValue = "/bin/true",
            description = "the program started (default: ${DEFAULT-VALUE})")
        String program;
    }

    @picocli.CommandLine.Command(name = "LaunchProbe", mixinStandardHelpOptions = true,
        description = "Times ProcessBuilder.start() of a program in this JVM (LaunchBenchmark's child).")
    static final class Main {
        @picocli.CommandLine.Mixin
        Options options;
    }

    public static void main(String[] args) throws Exception {
        Options o = io.livepatch4j.bench.MainOptions.parseOrExit(new Main(), args).options;
        int runs = o.runs;
        int warmup = o.warmup;
        String program = o.program;
        long[] nanos = measure(program, warmup, runs);
        String mechanism = System.getProperty("jdk.lang.Process.launchMechanism", "default");
        long heapMib = Runtime.getRuntime().maxMemory() >> 20;
        System.out.println(new ProbeResult(mechanism, heapMib, rssMib(), LaunchStats.ofNanos(nanos)).toLine());
    }

    /** Times start() of program runs times after warmup untimed starts; each child is reaped before the next. */
    public static long[] measure(String program, int warmup, int runs) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(program).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long[] nanos = new long[runs];
        for (int i = 0; i < warmup + runs; i++) {
            long t0 = System.nanoTime();
            Process p = pb.start();
            long t1 = System.nanoTime();
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(program + " exited with " + exit + "; the benchmark needs a program that succeeds");
            }
            if (i >= warmup) {
                nanos[i - warmup] = t1 - t0;
            }
        }
        return nanos;
    }

    /** This JVM's resident set, from /proc/self/status (0 where there is no /proc). */
    static long rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
