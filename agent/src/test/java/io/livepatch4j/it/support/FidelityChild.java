package io.livepatch4j.it.support;

import io.livepatch4j.it.child.FidelityRunner;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM of the fidelity corpus running every case in one mode (see {@link FidelityRunner}),
 * and what it reported per case. Its stdout and stderr go to {@code <mode>.log} beside the results.
 */
public final class FidelityChild {

    /** What one case did in one mode: the apply outcome (ok, none, failed: ...) and observe()'s text. */
    public record Run(String apply, String output) {
    }

    private final String mode;
    private final Process process;
    private final Path results;
    private final Path log;

    private FidelityChild(String mode, Process process, Path results, Path log) {
        this.mode = mode;
        this.process = process;
        this.results = results;
        this.log = log;
    }

    /**
     * Starts the child for {@code mode} (fresh, prepared, attach) on {@code classes} (v2 for fresh,
     * v1 otherwise); {@code plan} lists the cases and their patch files.
     */
    public static FidelityChild start(String mode, Path classes, Path plan, Path work) throws IOException {
        return start(mode, classes, plan, work, FidelityCase.CORPUS_ROOT);
    }

    /** As {@link #start(String, Path, Path, Path)}, for cases under the package {@code packageRoot}. */
    public static FidelityChild start(String mode, Path classes, Path plan, Path work, String packageRoot)
        throws IOException {
        String agentJar = System.getProperty("lp4j.agent.jar");
        String testClasses = ChildClassPath.testClassesAndControl();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (mode.equals("prepared")) {
            cmd.add("-javaagent:" + agentJar + "=packages=" + packageRoot);
        } else if (mode.equals("attach")) {
            cmd.add("-Djdk.attach.allowAttachSelf=true");
            if (Runtime.version().feature() >= 21) {
                cmd.add("-XX:+EnableDynamicAgentLoading");
            }
        }
        for (String extra : System.getProperty("lp4j.test.jvmArgs", "").trim().split("\\s+")) {
            if (!extra.isEmpty()) {
                cmd.add(extra);
            }
        }
        // The cases first: a case class must never be shadowed by anything in the test classes.
        cmd.addAll(List.of("-cp", classes + File.pathSeparator + testClasses, FidelityRunner.class.getName(), mode,
            plan.toString()));
        Path results = work.resolve(mode + ".out");
        cmd.add(results.toString());
        cmd.add(agentJar);
        cmd.add(packageRoot);
        Path log = work.resolve(mode + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new FidelityChild(mode, p, results, log);
    }

    /** Waits for the child (at most {@code seconds}) and reads what it reported, case by case. */
    public Map<String, Run> finish(long seconds) throws IOException, InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        Map<String, Run> runs = new LinkedHashMap<>();
        if (!Files.exists(results)) {
            return runs;
        }
        String current = null;
        String apply = "";
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
            if (line.startsWith(FidelityRunner.MARK + "begin ")) {
                current = line.substring((FidelityRunner.MARK + "begin ").length());
                apply = "";
                out.setLength(0);
            } else if (line.startsWith(FidelityRunner.MARK + "apply ")) {
                apply = line.substring((FidelityRunner.MARK + "apply ").length());
            } else if (line.startsWith(FidelityRunner.MARK + "end ")) {
                runs.put(current, new Run(apply, out.toString().strip()));
                current = null;
            } else if (current != null) {
                out.append(line).append('\n');
            }
        }
        return runs;
    }

    /** The last lines of the child's own output, for a case the child never reported. */
    public String logTail() throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return mode + " JVM log (" + log + "), last lines:\n  "
            + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
