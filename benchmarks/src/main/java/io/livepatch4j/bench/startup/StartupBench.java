package io.livepatch4j.bench.startup;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the agent costs a server's start: the time from launching the JVM to the server's first
 * answered request, without the agent and with it in prepared mode (as it comes, and with
 * backgroundStart=on), for the demo server (Jetty 12) and an embedded Tomcat. Runs alternate (no
 * agent, agent, agent in the background, no agent, ...) so that drift on a shared machine falls on all; the ratio of the medians is the figure, with a bootstrap 95% interval. One
 * more run per server with {@code debug=on} reports the agent's own start steps.
 */
@Command(name = "bench-startup", mixinStandardHelpOptions = true,
    description = "Time from JVM launch to a server's first answer, with and without the agent (docs/results/startup.md).")
public final class StartupBench implements Callable<Integer> {

    @Option(names = "--runs", description = "runs per server and setting (default: ${DEFAULT-VALUE})")
    int runs = 10;

    @Option(names = "--agent-jar", required = true, description = "the livepatch4j agent jar")
    Path agentJar;

    @Option(names = "--demo-jar", required = true, description = "the demo server's v1 jar")
    Path demoJar;

    @Option(names = "--java", description = "the java launcher of the measured JVMs (default: this JVM's)")
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");

    @Option(names = "--out", description = "where to write the results page (default: print only)")
    Path out;

    private static final Pattern STEPS = Pattern.compile("start took .*");

    public static void main(String[] args) {
        System.exit(new CommandLine(new StartupBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<ServerCase> servers = List.of(
            new ServerCase("demo server (Jetty 12, 1,000 keys)", "io.livepatch4j.demo", "/health",
                port -> List.of("-jar", demoJar.toString(), "--port", Integer.toString(port), "--keys", "1000")),
            new ServerCase("embedded Tomcat 11, one servlet", "io.livepatch4j.bench.startup.app", "/",
                port -> List.of("-cp", System.getProperty("java.class.path"),
                    "io.livepatch4j.bench.startup.app.TomcatApp", Integer.toString(port))));
        StringBuilder page = new StringBuilder();
        page.append("| server | without agent, median (p25-p75) | with agent, median (p25-p75) | ratio (95% CI) "
                + "| with agent, backgroundStart=on | ratio (95% CI) |\n")
            .append("|---|---|---|---|---|---|\n");
        StringBuilder steps = new StringBuilder();
        for (ServerCase s : servers) {
            List<Double> plain = new ArrayList<>();
            List<Double> agent = new ArrayList<>();
            List<Double> background = new ArrayList<>();
            firstAnswer(s, null, null); // warms the page cache and the JDK's CDS archive mapping
            for (int i = 0; i < runs; i++) {
                plain.add(firstAnswer(s, null, null));
                agent.add(firstAnswer(s, "", null));
                background.add(firstAnswer(s, ",backgroundStart=on", null));
            }
            StringBuilder log = new StringBuilder();
            firstAnswer(s, ",debug=on", log);
            Matcher m = STEPS.matcher(log);
            steps.append("- ").append(s.name()).append(": ").append(m.find() ? m.group() : "(no debug line)").append('\n');
            double[] ci = Stats.ratioInterval(agent, plain);
            double[] bci = Stats.ratioInterval(background, plain);
            String row = String.format(Locale.ROOT, "| %s | %s | %s | %.2fx (%.2f-%.2f) | %s | %.2fx (%.2f-%.2f) |%n",
                s.name(), Stats.summary(plain), Stats.summary(agent), Stats.median(agent) / Stats.median(plain), ci[0], ci[1],
                Stats.summary(background), Stats.median(background) / Stats.median(plain), bci[0], bci[1]);
            page.append(row);
            System.out.print(row);
        }
        page.append("\nThe agent's own start, from one more run with `debug=on` (its steps, as it logs them):\n\n").append(steps);
        System.out.print(steps);
        if (out != null) {
            Files.writeString(out, page.toString());
        }
        return 0;
    }

    /**
     * Launches the server and returns the milliseconds until its first 200 answer; stops it.
     * {@code agentOptions}: null for no agent, else appended to packages=...
     */
    private double firstAnswer(ServerCase s, String agentOptions, StringBuilder log) throws Exception {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx256m"));
        if (agentOptions != null) {
            cmd.add("-javaagent:" + agentJar + "=packages=" + s.packages() + agentOptions);
        }
        cmd.addAll(s.command().args(port));
        Path err = Files.createTempFile("lp4j-startup", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(err.toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + port + s.path());
            while (!answers(uri)) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(s.name() + " ended before answering: " + Files.readString(err));
                }
                if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(60)) {
                    throw new IllegalStateException(s.name() + " did not answer within 60 s: " + Files.readString(err));
                }
                Thread.sleep(2);
            }
            return (System.nanoTime() - start) / 1e6;
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
            if (log != null) {
                log.append(Files.readString(err, StandardCharsets.UTF_8));
            }
            Files.deleteIfExists(err);
        }
    }

    private static boolean answers(URI uri) {
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout(200);
            c.setReadTimeout(2000);
            try {
                return c.getResponseCode() == 200;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The arguments after the JVM options, for a port. */
    interface Launch {
        List<String> args(int port);
    }

    record ServerCase(String name, String packages, String path, Launch command) {
    }
}
