package io.livepatch4j.cli.commonstext;

import io.livepatch4j.cli.Lp4j;
import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.NewClass;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CVE-2022-42889 on a real release pair: the patch {@code lp4j build} makes from commons-text 1.9 and
 * 1.10.0 with {@code --only StringLookupFactory}, applied by {@code lp4j apply --pid} to a running JVM
 * that never had the agent, while six threads (four pool threads, two plain ones) interpolate.
 *
 * <p>1.10.0 fixes the CVE by changing which lookups {@code StringLookupFactory.addDefaultStringLookups}
 * adds. {@code createInterpolator()} does not call it: it shares {@code InterpolatorStringLookup.INSTANCE},
 * which that class's static initializer built once, with the defaults of the code that ran then. So
 * the patch fixes every interpolator built after it, and {@code createInterpolator()} only in a JVM
 * that had built no interpolator before the patch. Each test proves one of those three statements,
 * and each can fail: the reports before the patch show the same checks seeing every lookup resolve.
 */
class CommonsTextCveIT {

    static final String FACTORY = "org.apache.commons.text.lookup.StringLookupFactory";
    static final String HOLDER = FACTORY + "$DefaultStringLookupsHolder";
    static final int MIN_ITERATIONS = 30;

    static Path jars;
    static Path patch;

    @BeforeAll
    static void buildThePatchFromTheReleasePair() throws Exception {
        jars = Path.of(System.getProperty("lp4j.commonstext.dir", "target/commons-text"));
        assertTrue(Files.isRegularFile(jars.resolve("commons-text-1.9.jar")),
            "run through Maven (mvn -pl patch-compiler -am verify), which copies the release jars to " + jars);
        patch = Files.createTempDirectory("lp4j-commons-text").resolve("cve-2022-42889.lp4j");
        String out = lp4j(0, "build", "--old", jars.resolve("commons-text-1.9.jar").toString(),
            "--new", jars.resolve("commons-text-1.10.0.jar").toString(), "--only", FACTORY, "-o", patch.toString());
        assertTrue(out.contains("wrote " + patch), out);

        Patch p = PatchFormat.read(patch);
        assertEquals(List.of(FACTORY), p.classes().stream().map(ClassPatch::name).toList(), out);
        assertEquals(List.of(HOLDER), p.newClasses().stream().map(NewClass::name).toList(), out);
        String changes = p.classes().get(0).changes().toString();
        assertTrue(changes.contains("addDefaultStringLookups(Ljava/util/Map;)V"), changes);
    }

    @Test
    @Timeout(180)
    void interpolatorsBuiltAfterThePatchResolveNoUrlDnsOrScriptInAnyThread() throws Exception {
        try (Child child = Child.start("FACTORY")) {
            Report before = child.report("before", MIN_ITERATIONS);
            before.assertEveryThreadResolvesUrlDnsAndScript();

            child.applyPatch();

            Report after = child.report("after", MIN_ITERATIONS);
            after.assertSameJvm(before);
            after.assertNoThreadResolvesUrlDnsOrScript();
        }
    }

    @Test
    @Timeout(180)
    void createInterpolatorResolvesNoUrlDnsOrScriptInAnyThreadWhenThePatchPrecedesItsFirstUse() throws Exception {
        try (Child child = Child.start("MAP_ONLY")) {
            // commons-text is in use (StringLookupFactory is loaded), but no interpolator was built yet.
            Report before = child.report("before", MIN_ITERATIONS);

            child.applyPatch();

            child.use("CREATE_INTERPOLATOR");
            Report after = child.report("after", MIN_ITERATIONS);
            after.assertSameJvm(before);
            after.assertNoThreadResolvesUrlDnsOrScript();
        }
    }

    /**
     * The issue's own scenario, and what a patch made of 1.10.0's code cannot do: threads that called
     * {@code createInterpolator()} before the patch keep getting the interpolator built then. This
     * test fails the day that changes (say lp4j learns to rebuild static state); then update
     * docs/results/commons-text.md.
     */
    @Test
    @Timeout(180)
    void createInterpolatorKeepsResolvingThroughTheInstanceBuiltBeforeThePatch() throws Exception {
        try (Child child = Child.start("CREATE_INTERPOLATOR")) {
            Report before = child.report("before", MIN_ITERATIONS);
            before.assertEveryThreadResolvesUrlDnsAndScript();

            child.applyPatch();

            // The same JVM, patched: interpolators built now lack url, dns and script...
            child.use("FACTORY");
            Report fresh = child.report("fresh", MIN_ITERATIONS);
            fresh.assertNoThreadResolvesUrlDnsOrScript();
            // ...but createInterpolator() hands out the one built before the patch.
            child.use("CREATE_INTERPOLATOR");
            Report after = child.report("after", MIN_ITERATIONS);
            after.assertSameJvm(before);
            after.assertEveryThreadResolvesUrlDnsAndScript();
        }
    }

    /** Runs lp4j in this JVM, as a user runs ./lp4j; asserts its exit code and returns what it printed. */
    static String lp4j(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Lp4j.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        String all = "$ lp4j " + String.join(" ", args) + "\n" + out + err;
        System.out.println(all);
        assertEquals(expectedExit, exit, all);
        return out.toString();
    }

    /** What one REPORT line of {@link InterpolatorWorkload} says. */
    record Report(String line, long pid, long httpHits, int failures, List<ThreadSeen> threads) {

        private static final Pattern FIELDS = Pattern.compile(
            "pid=(\\d+) .*complete=(\\w+) httpHits=(\\d+) failures=(\\d+) .*threads=(\\S*)$");

        static Report parse(String line) {
            Matcher m = FIELDS.matcher(line);
            assertTrue(m.find(), line);
            assertEquals("true", m.group(2), "not every thread ran " + MIN_ITERATIONS + " iterations in time: " + line);
            List<ThreadSeen> threads = new ArrayList<>();
            for (String t : m.group(5).split(",")) {
                String[] f = t.split(":");
                threads.add(new ThreadSeen(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                    Long.parseLong(f[5]), Long.parseLong(f[6])));
            }
            Report r = new Report(line, Long.parseLong(m.group(1)), Long.parseLong(m.group(3)),
                Integer.parseInt(m.group(4)), threads);
            assertEquals(0, r.failures, "an iteration threw: " + line);
            assertTrue(threads.stream().filter(s -> s.kind.equals("pool")).count() >= InterpolatorWorkload.POOL_THREADS, line);
            assertTrue(threads.stream().filter(s -> s.kind.equals("plain")).count() >= InterpolatorWorkload.PLAIN_THREADS, line);
            return r;
        }

        void assertEveryThreadResolvesUrlDnsAndScript() {
            for (ThreadSeen t : threads) {
                assertTrue(t.url > 0 && t.dns > 0 && t.script > 0, t.name + " did not resolve url, dns and script: " + line);
            }
            assertTrue(httpHits > 0, "the url lookups never reached the local HTTP server: " + line);
        }

        void assertNoThreadResolvesUrlDnsOrScript() {
            for (ThreadSeen t : threads) {
                assertTrue(t.iterations >= MIN_ITERATIONS, line);
                assertEquals(0, t.url, t.name + " resolved ${url:...}: " + line);
                assertEquals(0, t.dns, t.name + " resolved ${dns:...}: " + line);
                assertEquals(0, t.script, t.name + " reached the script lookup: " + line);
                // A thread may be inside one iteration when the report is taken.
                assertTrue(t.base64 >= t.iterations - 1, t.name + " lost ${base64Decoder:...}, a default 1.10.0 keeps: " + line);
            }
            assertEquals(0, httpHits, "a url lookup reached the local HTTP server: " + line);
        }

        void assertSameJvm(Report before) {
            assertEquals(before.pid, pid, "the JVM was restarted");
        }
    }

    record ThreadSeen(String name, String kind, long iterations, long url, long dns, long script, long base64) {}

    /** The child JVM running {@link InterpolatorWorkload} on commons-text 1.9, without the agent. */
    static final class Child implements AutoCloseable {

        private final Process process;
        private final Writer stdin;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuffer transcript = new StringBuffer();

        private Child(Process process) {
            this.process = process;
            this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        transcript.append(line).append('\n');
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the child ended; expect() reports what it printed
                }
            }, "child-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(String mode) throws Exception {
            String testClasses = Path.of(InterpolatorWorkload.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
            String cp = String.join(java.io.File.pathSeparator, testClasses, jars.resolve("commons-text-1.9.jar").toString(),
                jars.resolve("commons-lang3-3.11.jar").toString());
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp));
            if (Runtime.version().feature() >= 21) {
                cmd.add("-XX:+EnableDynamicAgentLoading");
            }
            for (String extra : System.getProperty("lp4j.test.jvmArgs", "").trim().split("\\s+")) {
                if (!extra.isEmpty()) {
                    cmd.add(extra);
                }
            }
            cmd.add(InterpolatorWorkload.class.getName());
            cmd.add(mode);
            Child c = new Child(new ProcessBuilder(cmd).redirectErrorStream(true).start());
            c.expect("READY", 60);
            return c;
        }

        Report report(String label, int min) throws Exception {
            send("REPORT " + label + " " + min);
            return Report.parse(expect("REPORT " + label, 150));
        }

        void use(String mode) throws Exception {
            send("USE " + mode);
            expect("USING " + mode, 30);
        }

        /** lp4j apply in attach mode, waiting for the transition to complete, then lp4j status. */
        void applyPatch() {
            String pid = String.valueOf(process.pid());
            String applied = lp4j(0, "apply", "--pid", pid, patch.toString(), "--wait",
                "--agent-jar", System.getProperty("lp4j.agent.jar", "target/livepatch4j-agent.jar"));
            assertTrue(applied.contains("has no livepatch4j agent: loading it"), applied);
            assertTrue(applied.contains("): complete"), applied);
            String status = lp4j(0, "status", "--pid", pid);
            assertTrue(status.contains("(attach mode), current generation G1"), status);
            assertTrue(status.contains(FACTORY + ": version 1"), status);
        }

        private void send(String command) throws IOException {
            stdin.write(command + "\n");
            stdin.flush();
        }

        private String expect(String prefix, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(prefix)) {
                    System.out.println("child: " + line);
                    return line;
                }
                if (line == null && !process.isAlive() && lines.isEmpty()) {
                    break;
                }
            }
            throw new AssertionError("the child JVM printed no '" + prefix + "' line" + (process.isAlive() ? "" : " (it exited)")
                + "; its output:\n" + transcript);
        }

        @Override
        public void close() throws Exception {
            try {
                send("EXIT");
            } catch (IOException ignored) {
                // already gone
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
