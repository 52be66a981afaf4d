package io.livepatch4j.it.child;

import io.livepatch4j.control.LivePatchJmx;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The child JVM of the fidelity corpus (FidelityCorpusIT): runs every case of the plan in one JVM,
 * in one mode: {@code fresh} (v2 on the class path), {@code baseline} (v1, no agent, no patch: shows that
 * a case exercises its change), {@code prepared} (v1, agent at start) or {@code attach} (v1, agent
 * attached to itself). Knows the agent only by reflection, as AttachTarget.
 *
 * <p>Arguments: mode, plan file (lines {@code case TAB patch-file-or-dash}), result file, agent jar, package
 * root (the case's Probe is {@code ROOT.case.Probe}; fid unless given).
 * The result file gets one block per case, written as soon as the case ends:
 * <pre>
 * @@fid begin CASE
 * @@fid apply ok|none|failed: MESSAGE|timeout
 * ...the lines observe() returned...
 * @@fid end CASE
 * </pre>
 */
public final class FidelityRunner {

    public static final String MARK = "@@fid ";
    private static final long CASE_SECONDS = 15;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        List<String> plan = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
        Path result = Path.of(args[2]);
        String agentJar = args.length > 3 ? args[3] : null;
        String root = args.length > 4 ? args[4] : "fid";
        try (BufferedWriter out = Files.newBufferedWriter(result, StandardCharsets.UTF_8)) {
            if (mode.equals("attach")) {
                attachSelf(agentJar);
            }
            for (String line : plan) {
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.split("\t");
                String name = parts[0];
                boolean patched = mode.equals("prepared") || mode.equals("attach");
                String patch = !patched || parts[1].equals("-") ? null : parts[1];
                out.write(MARK + "begin " + name + "\n");
                out.write(MARK + "apply " + runCase(root + "." + name, patch, out) + "\n");
                out.write(MARK + "end " + name + "\n");
                out.flush();
            }
        }
        // Threads of a hung case must not keep the JVM alive.
        System.exit(0);
    }

    /** setup(), the patch (if any), observe(); returns the apply outcome, writes observe()'s text. */
    private static String runCase(String pkg, String patch, BufferedWriter out) throws Exception {
        String name = pkg.substring(pkg.lastIndexOf('.') + 1);
        Class<?> probe;
        try {
            probe = Class.forName(pkg + ".Probe");
        } catch (Throwable e) {
            out.write("probe not loadable: " + e + "\n");
            return "none";
        }
        String setup = bounded(name + "-setup", () -> {
            probe.getMethod("setup").invoke(null);
            return "";
        });
        if (!setup.isEmpty()) {
            out.write("setup failed: " + setup + "\n");
        }
        String applied = "none";
        if (patch != null) {
            String failure = bounded(name + "-apply", () -> {
                apply(Path.of(patch));
                return "";
            });
            applied = failure.isEmpty() ? "ok" : "failed: " + failure;
        }
        String[] observed = new String[1];
        String failure = bounded(name + "-observe", () -> {
            observed[0] = String.valueOf(probe.getMethod("observe").invoke(null));
            return "";
        });
        out.write(failure.isEmpty() ? observed[0] : "observe failed: " + failure);
        out.write("\n");
        return applied;
    }

    /** Runs {@code work} on a fresh daemon thread for at most CASE_SECONDS; "" or what went wrong. */
    private static String bounded(String what, Callable<String> work) throws InterruptedException {
        FutureTask<String> task = new FutureTask<>(work);
        Thread t = new Thread(task, "fid-" + what);
        t.setDaemon(true);
        t.start();
        try {
            return task.get(CASE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return "timeout after " + CASE_SECONDS + " s";
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof InvocationTargetException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            return oneLine(cause);
        }
    }

    private static void apply(Path patch) throws Exception {
        if (!LivePatchJmx.awaitAgent(Duration.ofSeconds(20))) {
            throw new IllegalStateException("the agent did not register its MXBean within 20 s");
        }
        LivePatchJmx.apply(patch);
        if (!LivePatchJmx.awaitTransition(Duration.ofSeconds(10))) {
            throw new IllegalStateException("the transition did not complete within 10 s");
        }
    }

    /** Loads the agent into this JVM through the Attach API (needs -Djdk.attach.allowAttachSelf=true). */
    private static void attachSelf(String agentJar) throws Exception {
        com.sun.tools.attach.VirtualMachine vm =
            com.sun.tools.attach.VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
        try {
            vm.loadAgent(agentJar, "");
        } finally {
            vm.detach();
        }
        if (!LivePatchJmx.awaitAgent(Duration.ofSeconds(20))) {
            throw new IllegalStateException("the agent was attached but did not register its MXBean within 20 s");
        }
    }

    private static String oneLine(Throwable e) {
        String msg = e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (e instanceof RuntimeException && e.getMessage() == null) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            msg += " " + trace.toString().lines().skip(1).limit(3).map(String::trim).reduce("", (a, b) -> a + " " + b);
        }
        return msg.replace('\n', ' ');
    }
}
