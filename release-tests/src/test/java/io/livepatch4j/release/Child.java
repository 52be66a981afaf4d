package io.livepatch4j.release;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of its own, started with the agent in prepared mode for the packages a patch changes, as
 * server-tests' ServerChild does: its main prints "READY ..." when it can be patched, and its output
 * goes to a log file and is kept for the report. Closing it kills the JVM.
 */
final class Child implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final List<String> lines;
    final String ready;

    private Child(Process process, Path log, List<String> lines, String ready) {
        this.process = process;
        this.log = log;
        this.lines = lines;
        this.ready = ready;
    }

    /** Starts {@code main args} on {@code classPath}, the agent preparing {@code packages}; waits for READY (60 s). */
    static Child start(String name, String classPath, Collection<String> packages, List<String> jvmOptions, String main,
                       String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("-javaagent:" + Settings.agentJar() + "=packages=" + String.join(",", packages));
        for (String extra : System.getProperty("lp4j.test.jvmArgs", "").trim().split("\\s+")) {
            if (!extra.isEmpty()) {
                cmd.add(extra);
            }
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classPath, main));
        cmd.addAll(List.of(args));
        Path log = Settings.results().resolve(name + ".log");
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(p, log, lines, ready), "child-output-" + name);
        pump.setDaemon(true);
        pump.start();
        try {
            return new Child(p, log, lines, ready.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("the " + name + " JVM did not get ready within 60 s; its output is in " + log
                + ":\n" + String.join("\n", lines), e);
        }
    }

    private static void pump(Process p, Path log, List<String> lines, CompletableFuture<String> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                lines.add(line);
                if (line.startsWith("READY ")) {
                    ready.complete(line);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("the JVM exited before it was ready"));
    }

    long pid() {
        return process.pid();
    }

    List<String> output() {
        return List.copyOf(lines);
    }

    Path log() {
        return log;
    }

    /** The packages to prepare for a patch of these classes: each class's package, without subpackages of another. */
    static List<String> packagesOf(Collection<String> classes) {
        TreeSet<String> all = new TreeSet<>();
        for (String c : classes) {
            int dot = c.lastIndexOf('.');
            if (dot > 0) {
                all.add(c.substring(0, dot));
            }
        }
        List<String> roots = new ArrayList<>();
        for (String p : all) {
            if (roots.stream().noneMatch(r -> p.startsWith(r + "."))) {
                roots.add(p);
            }
        }
        return roots;
    }

    void closeQuietly() {
        process.destroyForcibly();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
