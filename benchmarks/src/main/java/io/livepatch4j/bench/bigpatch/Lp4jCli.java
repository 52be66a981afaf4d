package io.livepatch4j.bench.bigpatch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs lp4j as an operator does: a process of its own, with the JVM options of the distribution's
 * {@code bin/lp4j} launcher, timed from before the process starts to after it ends (the "wall time"
 * the tables give, which includes lp4j's own start). {@code System.nanoTime()} is CLOCK_MONOTONIC, the
 * clock of HotSpot's {@code timenanos} log decoration, so a run's span is matched with the workload
 * JVM's safepoint log and ticks.
 */
final class Lp4jCli {

    /** As distribution/src/bin/lp4j starts it. */
    static final List<String> LAUNCHER_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

    /** One lp4j process: its arguments, exit code, span and output. */
    record Run(List<String> args, int exit, long startNanos, long endNanos, String stdout, String stderr) {
        double wallMillis() {
            return (endNanos - startNanos) / 1e6;
        }

        /** The first line lp4j printed on stderr (its "lp4j: ..." line on failure), or "". */
        String firstErrorLine() {
            return stderr.lines().filter(l -> l.startsWith("lp4j:")).findFirst()
                .orElse(stderr.lines().findFirst().orElse(""));
        }
    }

    private final String java;
    private final Path jar;
    private final Path scratch;

    Lp4jCli(String java, Path jar, Path scratch) {
        this.java = java;
        this.jar = jar.toAbsolutePath();
        this.scratch = scratch;
    }

    Run run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(LAUNCHER_OPTIONS);
        cmd.addAll(List.of("-jar", jar.toString()));
        cmd.addAll(args);
        Files.createDirectories(scratch);
        Path out = Files.createTempFile(scratch, "lp4j", ".out");
        Path err = Files.createTempFile(scratch, "lp4j", ".err");
        try {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("lp4j " + String.join(" ", args.subList(0, Math.min(3, args.size())))
                    + " did not end in 10 minutes");
            }
            long end = System.nanoTime();
            return new Run(List.copyOf(args), p.exitValue(), start, end,
                Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
