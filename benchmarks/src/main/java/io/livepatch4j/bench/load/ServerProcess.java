package io.livepatch4j.bench.load;

import io.livepatch4j.demo.client.ReadyLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The demo server in its own JVM: started from a jar, ready when it prints its READY line. */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final String version;

    private ServerProcess(Process process, int port, String version) {
        this.process = process;
        this.port = port;
        this.version = version;
    }

    /**
     * Starts {@code java JVMOPTIONS -jar JAR --port 0 SERVERARGS}; its output goes to {@code log}.
     * Waits for READY (at most {@code timeoutSeconds}).
     */
    public static ServerProcess start(Path jar, List<String> jvmOptions, List<String> serverArgs, Path log,
                                      long timeoutSeconds) throws IOException, InterruptedException {
        return start(jar, jvmOptions, 0, serverArgs, log, timeoutSeconds);
    }

    /**
     * The same on a given port ({@code 0}: any free one): a restart brings the next build up on the
     * port the clients already use.
     */
    public static ServerProcess start(Path jar, List<String> jvmOptions, int port,
                                      List<String> serverArgs, Path log,
                                      long timeoutSeconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString(), "--port", String.valueOf(port)));
        cmd.addAll(serverArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<ReadyLine> ready = new CompletableFuture<>();
        Thread copier = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                         new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 var out = java.nio.file.Files.newBufferedWriter(log)) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    ReadyLine.find(line).ifPresent(ready::complete);
                }
            } catch (IOException ignored) {
                // the server ended
            }
            ready.completeExceptionally(new IOException("the server exited before it was ready; see " + log));
        }, "server-output");
        copier.setDaemon(true);
        copier.start();
        try {
            ReadyLine line = ready.get(timeoutSeconds, TimeUnit.SECONDS);
            return new ServerProcess(p, line.port(), line.version());
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new IOException("the demo server did not start (" + e.getMessage() + "); see " + log, e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public String version() {
        return version;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM (the server finishes requests in flight), then SIGKILL after the grace period. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
