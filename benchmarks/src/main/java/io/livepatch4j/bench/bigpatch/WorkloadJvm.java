package io.livepatch4j.bench.bigpatch;

import io.livepatch4j.bench.safepoints.SafepointLog;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@link GuavaWorkload} JVM, started with the agent in prepared mode for Guava's packages, its
 * safepoint log and its lines: the ticks are kept as they come, and {@code SNAPSHOT} and
 * {@code CLASSES} are asked on its stdin and answered on its stdout.
 */
final class WorkloadJvm implements AutoCloseable {

    static final List<String> HEAP = List.of("-Xms512m", "-Xmx512m");
    static final String PREPARED_PACKAGES = "com.google.common,com.google.thirdparty";
    static final int THREADS = 4;
    static final String MAIN = "io.livepatch4j.bench.bigpatch.GuavaWorkload";

    /** The classes whose methods a task of {@link GuavaWorkload} calls directly: the first choice for the small patches. */
    static final List<String> CALLED = List.of("com.google.common.base.Joiner", "com.google.common.base.Splitter",
        "com.google.common.base.CharMatcher", "com.google.common.cache.LocalCache",
        "com.google.common.collect.ArrayListMultimap", "com.google.common.collect.HashMultiset",
        "com.google.common.collect.ImmutableList", "com.google.common.collect.ImmutableSortedSet",
        "com.google.common.collect.ImmutableMap", "com.google.common.primitives.Ints");

    /** One TICK line: tasks done so far, loaded and hidden classes (-1: not counted), Metaspace used (bytes). */
    record Tick(long nanos, long tasks, int loaded, int hidden, long metaspace) {
    }

    /** One SNAPSHOT answer: the same figures after two full GCs, and the classes unloaded so far. */
    record Snapshot(String label, long nanos, long tasks, int loaded, int hidden, long metaspace, long unloaded) {
    }

    private final Process process;
    private final String tag;
    private final Path safepointLog;
    private final Writer toChild;
    private final List<Tick> ticks = new ArrayList<>();
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile Map<String, String> readyFields = Map.of();

    private WorkloadJvm(Process process, String tag, Path safepointLog, Path stdoutCopy) throws IOException {
        this.process = process;
        this.tag = tag;
        this.safepointLog = safepointLog;
        this.toChild = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        PrintWriter copy = new PrintWriter(Files.newBufferedWriter(stdoutCopy));
        Thread reader = new Thread(() -> read(copy), "workload-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The JVM option that writes what {@link SafepointLog} reads: safepoints (all their tags) and handshakes. */
    static String xlog(Path file) {
        return "-Xlog:safepoint*=info,handshake=info:file=" + file + ":uptime,timenanos,level,tags";
    }

    /** Starts the workload on {@code classPath} and waits for its READY line (30 s at most). */
    static WorkloadJvm start(String java, List<Path> classPath, Path agentJar, Path counterJar, Path logs, String tag)
        throws IOException, InterruptedException {
        Files.createDirectories(logs);
        Path log = logs.resolve(tag + ".safepoints.log").toAbsolutePath();
        Files.deleteIfExists(log);
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(HEAP);
        cmd.add("-javaagent:" + agentJar.toAbsolutePath() + "=packages=" + PREPARED_PACKAGES);
        cmd.add("-javaagent:" + counterJar.toAbsolutePath());
        cmd.add(xlog(log));
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classPath.stream().map(p -> p.toAbsolutePath().toString()).toList()));
        cmd.add(MAIN);
        cmd.add(String.valueOf(THREADS));
        Process p = new ProcessBuilder(cmd).redirectError(logs.resolve(tag + ".stderr").toFile()).start();
        Files.deleteIfExists(logs.resolve(tag + ".runs"));
        WorkloadJvm w = new WorkloadJvm(p, tag, log, logs.resolve(tag + ".out"));
        if (!w.ready.await(30, TimeUnit.SECONDS)) {
            w.close();
            throw new IllegalStateException("the workload JVM did not start in 30 s; see " + logs.resolve(tag + ".stderr"));
        }
        return w;
    }

    long pid() {
        return process.pid();
    }

    /** The name of its logs: TAG.out (its lines), TAG.safepoints.log, TAG.stderr, TAG.runs (the lp4j runs' spans). */
    String tag() {
        return tag;
    }

    /** "17", "25": the feature version the workload reported. */
    String jdk() {
        return readyFields.getOrDefault("jdk", "?");
    }

    String guava() {
        return readyFields.getOrDefault("guava", "?");
    }

    boolean hiddenCounted() {
        return Boolean.parseBoolean(readyFields.getOrDefault("hiddenCounted", "false"));
    }

    boolean alive() {
        return process.isAlive();
    }

    List<Tick> ticks() {
        synchronized (ticks) {
            return List.copyOf(ticks);
        }
    }

    Path safepointLog() {
        return safepointLog;
    }

    /** Two full GCs in the workload, then its figures. */
    Snapshot snapshot(String label) throws IOException, InterruptedException {
        send("SNAPSHOT " + label);
        String line = answer("SNAPSHOT ", 60);
        Map<String, String> f = fields(line);
        return new Snapshot(f.get("label"), Long.parseLong(f.get("nanos")), Long.parseLong(f.get("tasks")),
            Integer.parseInt(f.get("loaded")), Integer.parseInt(f.get("hidden")), Long.parseLong(f.get("metaspace")),
            Long.parseLong(f.get("unloaded")));
    }

    /** The names of the Guava classes the workload has loaded. */
    List<String> loadedGuavaClasses() throws IOException, InterruptedException {
        send("CLASSES");
        List<String> names = new ArrayList<>();
        while (true) {
            String line = answer("CLASS", 30);
            if (line.equals("CLASSES-END")) {
                return names;
            }
            names.add(line.substring("CLASS ".length()));
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            send("STOP");
        } catch (IOException gone) {
            // already ended
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void send(String command) throws IOException {
        toChild.write(command + "\n");
        toChild.flush();
    }

    private String answer(String prefix, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String line = answers.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("the workload JVM (pid " + pid() + ", alive " + alive()
                    + ") did not answer " + prefix.strip() + " in " + seconds + " s");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    private void read(PrintWriter copy) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             copy) {
            String line;
            while ((line = in.readLine()) != null) {
                copy.println(line);
                if (line.startsWith("TICK ")) {
                    Map<String, String> f = fields(line);
                    Tick t = new Tick(Long.parseLong(f.get("nanos")), Long.parseLong(f.get("tasks")),
                        Integer.parseInt(f.get("loaded")), Integer.parseInt(f.get("hidden")),
                        Long.parseLong(f.get("metaspace")));
                    synchronized (ticks) {
                        ticks.add(t);
                    }
                } else if (line.startsWith("READY ")) {
                    readyFields = fields(line);
                    ready.countDown();
                } else {
                    answers.add(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            answers.add("READER-FAILED " + e);
        }
    }

    /** The key=value words of a line. */
    static Map<String, String> fields(String line) {
        Map<String, String> f = new HashMap<>();
        for (String w : line.split("\\s+")) {
            int eq = w.indexOf('=');
            if (eq > 0) {
                f.put(w.substring(0, eq), w.substring(eq + 1));
            }
        }
        return f;
    }
}
