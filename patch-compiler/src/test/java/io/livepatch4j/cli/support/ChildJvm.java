package io.livepatch4j.cli.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A JVM a test starts, with its output lines collected as they come. */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private long pid;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());

    private ChildJvm(Process process) {
        this.process = process;
        this.pid = process.pid();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    all.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code main} with the classes in {@code classpath} and the given JVM options; waits for "READY". */
    public static ChildJvm start(Path classpath, String main, String... jvmOptions) throws IOException {
        return startAs(List.of(), classpath, main, jvmOptions);
    }

    /**
     * Starts it as the user {@code nobody} (root only): setpriv changes the user and executes java in
     * place, so the process's pid is the JVM's. Its class path and agent must be readable by nobody.
     */
    public static ChildJvm startAsNobody(Path classpath, String main, String... jvmOptions) throws IOException {
        return startAs(List.of("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"),
            classpath, main, jvmOptions);
    }

    private static ChildJvm startAs(List<String> prefix, Path classpath, String main, String... jvmOptions)
        throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 21) {
            cmd.add("-XX:+EnableDynamicAgentLoading");
        }
        cmd.addAll(testJvmArgs());
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", classpath.toString(), main));
        ChildJvm child = new ChildJvm(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        child.awaitLine(l -> l.startsWith("READY"), 30);
        return child;
    }

    /** The options every JVM the tests start gets (the build's lp4j.test.jvmArgs: C1 only, unless overridden). */
    private static List<String> testJvmArgs() {
        return java.util.Arrays.stream(System.getProperty("lp4j.test.jvmArgs", "").trim().split("\\s+"))
            .filter(o -> !o.isEmpty()).toList();
    }

    public long pid() {
        return pid;
    }

    /**
     * Starts it as a container would (root only): in a mount and a pid namespace of its own
     * (unshare), where {@code setup} runs first (a shell command: mount a tmpfs on /tmp, hide a
     * folder...); the JVM is pid 1 there. {@link #pid} is its pid as lp4j on the host sees it.
     */
    public static ChildJvm startContained(String setup, Path classpath, String main, String... jvmOptions)
        throws IOException {
        StringBuilder java = new StringBuilder("exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "'");
        if (Runtime.version().feature() >= 21) {
            java.append(" -XX:+EnableDynamicAgentLoading");
        }
        for (String o : testJvmArgs()) {
            java.append(" '").append(o).append('\'');
        }
        for (String o : jvmOptions) {
            java.append(" '").append(o).append('\'');
        }
        java.append(" -cp '").append(classpath).append("' ").append(main);
        ChildJvm child = new ChildJvm(new ProcessBuilder("/usr/bin/unshare", "--mount", "--pid", "--fork", "--mount-proc",
            "/bin/sh", "-c", setup + " && " + java).redirectErrorStream(true).start());
        child.awaitLine(l -> l.startsWith("READY"), 30);
        // unshare forks the namespace's first process, which becomes the JVM (exec)
        child.pid = child.process.toHandle().children().findFirst()
            .orElseThrow(() -> new AssertionError("unshare has no child: " + String.join("\n", child.all))).pid();
        return child;
    }

    /** Waits for a line that matches; fails with everything the JVM printed if none comes in time. */
    public String awaitLine(Predicate<String> matches, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try {
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && matches.test(line)) {
                    return line;
                }
                if (line == null && !process.isAlive() && lines.isEmpty()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("the child JVM printed no matching line within " + seconds + " s; it printed:\n"
            + String.join("\n", all));
    }

    /** Every line the JVM printed so far (standard output and error). */
    public List<String> printed() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    /** Forgets the lines printed so far. */
    public void skipOutput() {
        lines.clear();
    }

    public void kill() {
        process.destroyForcibly();
    }

    public Process process() {
        return process;
    }

    @Override
    public void close() {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
