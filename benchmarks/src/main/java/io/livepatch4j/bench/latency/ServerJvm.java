package io.livepatch4j.bench.latency;

import io.livepatch4j.demo.client.ReadyLine;

import io.livepatch4j.bench.load.ServerProcess;
import io.livepatch4j.bench.safepoints.SafepointLog;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts demo-server JVMs with the same flags in every scenario: fixed heap, the agent in prepared
 * mode, perf counters off the file system (so CRIU can restore them) and HotSpot's safepoint log.
 * Started as a child of the harness, with its output through a pipe, or detached (own session,
 * output on a file) when CRIU must dump it: a JVM tied to its launcher by pipes cannot be dumped alone.
 */
final class ServerJvm {

    /** A running server: where it listens, how to stop it, where its safepoint log is. */
    interface Running {
        long pid();

        int port();

        Path safepointLog();

        /** SIGTERM (Jetty finishes the requests in flight), then waits for the JVM to be gone. */
        void stop() throws IOException, InterruptedException;
    }

    static final String AGENT_PACKAGES = "io.livepatch4j.demo";

    private final Path agentJar;
    private final long globalTimeoutMillis;
    private final int keys;
    private final int threads;
    private final Path logs;
    private final List<String> extraOptions;
    private final List<Running> started = new ArrayList<>();

    ServerJvm(Path agentJar, long globalTimeoutMillis, int keys, int threads, Path logs,
              List<String> extraOptions) {
        this.agentJar = agentJar;
        this.globalTimeoutMillis = globalTimeoutMillis;
        this.keys = keys;
        this.threads = threads;
        this.logs = logs;
        this.extraOptions = List.copyOf(extraOptions);
    }

    /** The agent's options: the demo's packages, and a global timeout that fits the longest request. */
    String agentOptions() {
        return "packages=" + AGENT_PACKAGES + ",globalTimeoutMillis=" + globalTimeoutMillis;
    }

    List<String> jvmOptions(Path safepointLog) {
        List<String> o = new ArrayList<>(List.of("-Xms512m", "-Xmx512m", "-XX:+PerfDisableSharedMem",
            SafepointLog.xlogOption(safepointLog.toString()),
            "-javaagent:" + agentJar.toAbsolutePath() + "=" + agentOptions()));
        o.addAll(extraOptions);
        return o;
    }

    private List<String> serverArgs() {
        return List.of("--keys", String.valueOf(keys), "--threads", String.valueOf(threads));
    }

    /** A free port the harness chooses, so a restarted server can come back on the same one. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    Running startChild(Path jar, int port, String tag) throws IOException, InterruptedException {
        Path sp = logs.resolve(tag + "-safepoints.log");
        Files.deleteIfExists(sp);
        ServerProcess p = ServerProcess.start(jar, jvmOptions(sp), port, serverArgs(),
                logs.resolve(tag + "-server.log"), 120);
        Running r = new Running() {
            @Override
            public long pid() {
                return p.pid();
            }

            @Override
            public int port() {
                return p.port();
            }

            @Override
            public Path safepointLog() {
                return sp;
            }

            @Override
            public void stop() throws InterruptedException {
                p.close();
            }
        };
        started.add(r);
        return r;
    }

    /**
     * Started the way CRIU can dump it alone: its own session ({@code setsid}), no terminal, stdin
     * from /dev/null, stdout and stderr on a file, no pipe to the harness (what {@code lp4j-native
     * spawn} does too). It stays the harness's child, so when the checkpoint kills it the harness
     * reaps it at once and its PID is free for the restore; an orphan would wait for PID 1, which
     * reaps only every 1-2 s on these machines and would add that to the measured downtime.
     */
    Running startDetached(Path jar, int port, String tag) throws IOException, InterruptedException {
        Path sp = logs.resolve(tag + "-safepoints.log");
        Path log = logs.resolve(tag + "-server.log");
        Files.deleteIfExists(sp);
        Files.deleteIfExists(log);
        List<String> cmd = new ArrayList<>(List.of("setsid",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions(sp.toAbsolutePath()));
        cmd.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "--port", String.valueOf(port)));
        cmd.addAll(serverArgs());
        Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(log.toFile()).redirectErrorStream(true).start();
        long pid = p.pid();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            java.util.Optional<ReadyLine> ready = ReadyLine.find(Files.exists(log) ? Files.readString(log) : "");
            if (ready.isPresent()) {
                if (ready.get().pid() != pid) {
                    kill(ready.get().pid(), true);
                    throw new IOException("setsid forked: the server's pid " + ready.get().pid()
                            + " is not the child's " + pid
                            + ", so CRIU's checkpoint could not be measured as it should; see " + log);
                }
                break;
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("the detached demo server did not start; see " + log);
            }
            Thread.sleep(20);
        }
        Running r = new Running() {
            @Override
            public long pid() {
                return pid;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public Path safepointLog() {
                return sp;
            }

            @Override
            public void stop() throws InterruptedException {
                kill(pid, false);
            }
        };
        started.add(r);
        return r;
    }

    /** Not our child: signal it and wait until the PID is gone (init reaps it, within 1-2 s here). */
    static void kill(long pid, boolean now) throws InterruptedException {
        ProcessHandle.of(pid).ifPresent(h -> {
            if (now) {
                h.destroyForcibly();
            } else {
                h.destroy();
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (Files.exists(Path.of("/proc", String.valueOf(pid))) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (!now && Files.exists(Path.of("/proc", String.valueOf(pid)))) {
            kill(pid, true);
        }
    }

    /** Every server this scenario started, in order (a restart adds the second). */
    List<Running> started() {
        return List.copyOf(started);
    }

    /** Stops whatever still runs (after a failure, say). */
    void stopAll() {
        for (Running r : started) {
            try {
                r.stop();
            } catch (IOException | InterruptedException | RuntimeException e) {
                // best effort: the next scenario picks another port
            }
        }
    }
}
