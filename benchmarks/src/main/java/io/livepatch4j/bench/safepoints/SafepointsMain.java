package io.livepatch4j.bench.safepoints;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Counts the global safepoints (and handshakes) that applying and rolling back a patch causes, from
 * HotSpot's own log, in child JVMs under concurrent load: one child per case and JDK (see
 * {@link SafepointCase}). In attach mode the agent is loaded into the child with the Attach API
 * ({@link AgentLoader}), timed as a window of its own. Prints the tables and writes safepoints.csv and
 * safepoints.md to --out.
 *
 * <pre>
 * java -cp ... io.livepatch4j.bench.safepoints.SafepointsMain --agent-jar agent/target/livepatch4j-agent-0.1.0.jar
 *      [--quick] [--reps N] [--jvm /path/to/java]... [--cases a,b,c,d,e] [--out DIR] [--logs DIR]
 *      [--child-arg -XX:+UnlockDiagnosticVMOptions --child-arg -XX:GuaranteedSafepointInterval=0]...
 * </pre>
 * {@code --child-arg} adds a JVM option to every child (the tables then say so).
 */
public final class SafepointsMain {

    static final String PREPARED_PACKAGE = "io.livepatch4j.bench.safepoints.patchable";
    static final List<String> CHILD_JVM_ARGS = List.of("-Xms256m", "-Xmx256m");
    static final int LOAD_THREADS = 3;

    private SafepointsMain() {}

    /** The command line (see the class comment). */
    @picocli.CommandLine.Command(name = "SafepointsMain", mixinStandardHelpOptions = true,
        description = "The global safepoints and handshakes that applying and rolling back a patch cause, under load.")
    static final class Options {
        @picocli.CommandLine.Mixin
        io.livepatch4j.bench.AgentJarOptions agent;

        @picocli.CommandLine.Option(names = "--quick", description = "5 repetitions instead of 20")
        boolean quick;

        @picocli.CommandLine.Option(names = "--reps", paramLabel = "N", description = "applies and rollbacks per case "
            + "after the first (default: 20; --quick 5)")
        Integer reps;

        @picocli.CommandLine.Option(names = "--jvm", paramLabel = "JAVA", description = "a java to run the children with "
            + "(repeatable; default: this JVM's)")
        List<String> jvms = new ArrayList<>();

        @picocli.CommandLine.Option(names = "--cases", paramLabel = "CASE", split = ",", converter = SafepointCase.Letter.class,
            description = "the cases, by letter (default: all)")
        List<SafepointCase> cases = List.of(SafepointCase.values());

        @picocli.CommandLine.Option(names = "--logs", paramLabel = "DIR", defaultValue = "benchmarks/target/bench-agent",
            description = "where each child's logs go (default: ${DEFAULT-VALUE})")
        Path logs;

        @picocli.CommandLine.Option(names = "--child-arg", paramLabel = "OPTION", description = "one more JVM option for "
            + "every child (repeatable)")
        List<String> childArgs = new ArrayList<>();
    }

    public static void main(String[] args) throws Exception {
        Options o = io.livepatch4j.bench.MainOptions.parseOrExit(new Options(), args);
        int reps = o.reps != null ? o.reps : o.quick ? 5 : 20;
        List<String> jvms = new ArrayList<>(o.jvms);
        List<SafepointCase> cases = o.cases;
        Path out = o.agent.out();
        Path logs = o.logs;
        List<String> childArgs = o.childArgs;
        if (jvms.isEmpty()) {
            jvms.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
        Path agentJar = o.agent.checkedAgentJar();
        Files.createDirectories(logs);

        SafepointReport report = new SafepointReport();
        for (String jvm : jvms) {
            for (SafepointCase c : cases) {
                SafepointReport.ChildRun run = runChild(jvm, c, reps, agentJar.toAbsolutePath(), childArgs, logs);
                report.add(run);
                System.out.printf(Locale.ROOT, "%s %s: %d windows, %d VM operations logged, %d units of work, %d mixed%n",
                    run.jdk(), c.label(), run.windows().size(), run.ops().size(), run.units(), run.mixed());
            }
        }

        StringBuilder md = new StringBuilder();
        for (String jdk : report.jdks()) {
            md.append("Safepoints and handshakes per window on ").append(jdk).append(": ").append(reps)
                .append(" applies and ").append(reps).append(" rollbacks per case after the first of each, under a load of ")
                .append(Load.describe(LOAD_THREADS)).append("; child JVM options ").append(String.join(" ", CHILD_JVM_ARGS)).append(' ')
                .append(childArgs.isEmpty() ? "" : String.join(" ", childArgs) + " ")
                .append(SafepointLog.xlogOption("<log>")).append(".\n\n");
            md.append(report.table(jdk)).append('\n');
            md.append(report.loadTable(jdk)).append('\n');
        }
        System.out.println();
        System.out.println(md);
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("safepoints.csv"), report.csv());
            Files.writeString(out.resolve("safepoints.md"), md.toString());
        }
    }

    private static SafepointReport.ChildRun runChild(String jvm, SafepointCase c, int reps, Path agentJar,
                                                     List<String> childArgs, Path logs) throws Exception {
        int feature = featureVersion(jvm);
        Path log = logs.resolve("safepoints-jdk" + feature + "-" + c.letter() + ".log").toAbsolutePath();
        Path stderr = logs.resolve("safepoints-jdk" + feature + "-" + c.letter() + ".stderr").toAbsolutePath();
        Path stdout = logs.resolve("safepoints-jdk" + feature + "-" + c.letter() + ".out").toAbsolutePath();
        List<String> printed = new ArrayList<>();
        Files.deleteIfExists(log);
        List<String> cmd = new ArrayList<>(List.of(jvm));
        cmd.addAll(CHILD_JVM_ARGS);
        cmd.addAll(childArgs);
        cmd.add(SafepointLog.xlogOption(log.toString()));
        if (c.attach()) {
            if (feature >= 21) {
                cmd.add("-XX:+EnableDynamicAgentLoading");
            }
        } else {
            cmd.add("-javaagent:" + agentJar + "=packages=" + PREPARED_PACKAGE);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SafepointsChild.class.getName(),
            "--strategy", c.strategy(), "--reps", String.valueOf(reps), "--threads", String.valueOf(LOAD_THREADS)));
        if (c.attach()) {
            cmd.add("--attach");
        }
        if (c.loadAfterAttach()) {
            cmd.add("--load-after-attach");
        }
        Process child = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        List<Window> windows = new ArrayList<>();
        String jdk = "JDK " + feature;
        String unitKind = "?";
        long units = -1;
        long mixed = -1;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
             Writer toChild = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                printed.add(line);
                if (line.startsWith("READY")) {
                    jdk = field(line, "jdk").replace('_', ' ');
                    if (c.attach()) {
                        Window load = loadAgent(jvm, child.pid(), agentJar);
                        windows.add(load);
                        printed.add(load.line());
                        toChild.write("GO\n");
                        toChild.flush();
                    }
                } else if (line.startsWith("UNITS ")) {
                    unitKind = line.substring("UNITS ".length());
                } else if (line.startsWith("DONE")) {
                    units = Long.parseLong(field(line, "units"));
                    mixed = Long.parseLong(field(line, "mixed"));
                } else {
                    Window.parse(line).ifPresent(windows::add);
                }
            }
        }
        Files.write(stdout, printed); // the windows, beside the HotSpot log they are matched with
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new IllegalStateException(c.label() + ": the child JVM did not end; see " + stderr);
        }
        if (child.exitValue() != 0 || units < 0) {
            throw new IllegalStateException(c.label() + " on " + jdk + ": the child JVM failed (exit "
                + child.exitValue() + "):\n" + Files.readString(stderr));
        }
        List<SafepointLog.VmOperation> ops = SafepointLog.parseAll(Files.readAllLines(log));
        return new SafepointReport.ChildRun(jdk, c, windows, ops, units, mixed, unitKind);
    }

    /** Loads the agent into the child with {@link AgentLoader}, run by the child's own JDK. */
    private static Window loadAgent(String jvm, long pid, Path agentJar) throws Exception {
        Process loader = new ProcessBuilder(jvm, "-cp", System.getProperty("java.class.path"),
            AgentLoader.class.getName(), String.valueOf(pid), agentJar.toString()).redirectErrorStream(true).start();
        String text = new String(loader.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (loader.waitFor() != 0) {
            throw new IllegalStateException("loading the agent into " + pid + " failed:\n" + text);
        }
        return text.lines().map(Window::parse).flatMap(java.util.Optional::stream).findFirst()
            .orElseThrow(() -> new IllegalStateException("the agent loader printed no window:\n" + text));
    }

    private static String field(String line, String name) {
        for (String part : line.split("\\s+")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new IllegalArgumentException("no " + name + "= in '" + line + "'");
    }

    /** The feature version of a java launcher, from {@code java -version}. */
    public static int featureVersion(String jvm) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jvm, "-version").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        int q = text.indexOf('"');
        if (q < 0) {
            throw new IllegalStateException(jvm + " -version printed no version: " + text);
        }
        String v = text.substring(q + 1, text.indexOf('"', q + 1));
        return Runtime.Version.parse(v.startsWith("1.") ? v.substring(2) : v).feature();
    }
}
