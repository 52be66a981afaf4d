package io.livepatch4j.servers.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A server in a JVM of its own: {@code main} is a class whose main starts the server on an ephemeral
 * port and prints "READY port=N pid=P" (see child/Ready). Its output goes to a log file beside the
 * results. Closing it kills the JVM.
 */
public final class ServerChild implements AutoCloseable {

    /** The package the patch changes; prepared mode names it in the agent's packages= option. */
    public static final String APP_PACKAGE = "io.livepatch4j.servers.app";

    private final Process process;
    private final Path log;
    public final int port;
    public final long pid;

    private ServerChild(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.pid = process.pid();
    }

    /**
     * Starts {@code main} with {@code classPath} in {@code mode} and waits (at most 60 s) until it
     * serves. Extra JVM options come from the system property lp4j.test.jvmArgs.
     */
    public static ServerChild start(String name, String main, String classPath, Mode mode) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (mode == Mode.PREPARED) {
            cmd.add("-javaagent:" + Settings.agentJar() + "=packages=" + APP_PACKAGE);
        } else if (Runtime.version().feature() >= 21) {
            cmd.add("-XX:+EnableDynamicAgentLoading");
        }
        for (String extra : System.getProperty("lp4j.test.jvmArgs", "").trim().split("\\s+")) {
            if (!extra.isEmpty()) {
                cmd.add(extra);
            }
        }
        cmd.addAll(List.of("-Xmx256m", "-cp", classPath, main));
        Path log = Settings.results().resolve(name + ".log");
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(p, log, ready), "child-output-" + name);
        pump.setDaemon(true);
        pump.start();
        try {
            return new ServerChild(p, log, ready.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("the " + name + " server did not start within 60 s; its output is in " + log, e);
        }
    }

    /** Copies the child's output to its log and completes {@code ready} with the port it announces. */
    private static void pump(Process p, Path log, CompletableFuture<Integer> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                if (line.startsWith("READY port=")) {
                    ready.complete(Integer.parseInt(line.substring("READY port=".length()).split(" ")[0]));
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("the server exited before it served"));
    }

    public Path log() {
        return log;
    }

    /** Kills the JVM at once: it holds nothing worth a graceful shutdown, and the test budget is small. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
