package io.livepatch4j.release;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Security fixes of the corpus, live (issue 13): a server on the old release runs the research
 * note's probe on request input under a steady load of concurrent clients; the exploit works; the
 * patch lp4j builds from the published jars (the whole pair, or --only the fix's classes when the
 * whole pair is refused) goes in with 'lp4j apply --pid --wait' and the exploit is blocked;
 * 'lp4j rollback --wait' brings the old behaviour back; and no client request fails throughout.
 * Fixes that cannot be applied today are listed in KnownFailures.LIVE_FIXES.
 */
class SecurityFixesIT {

    private static final Map<String, String> ROWS = new ConcurrentHashMap<>();

    @TestFactory
    Stream<DynamicTest> securityFixIsAppliedLiveUnderLoadAndRolledBack() {
        // -Dlp4j.release.fixes=P1,P7: only the fixes whose id starts with one of these.
        return LiveFix.ALL.stream().filter(fix -> Settings.selected("lp4j.release.fixes", fix.id()))
            .map(fix -> DynamicTest.dynamicTest(fix.id(), () -> run(fix)));
    }

    private static void run(LiveFix fix) throws Exception {
        String known = KnownFailures.LIVE_FIXES.get(fix.id());
        try {
            live(fix);
        } catch (TestAbortedException e) {
            throw e;
        } catch (Throwable e) {
            Observed o = OBSERVED.getOrDefault(fix.id(), new Observed());
            String verdict = (known == null ? "**FAILED**: " : "**fails** (listed in KnownFailures.LIVE_FIXES): ")
                + ApplyReleasesIT.firstLine(e.getMessage());
            ROWS.putIfAbsent(fix.id(), row(fix, o.patchKind == null ? verdict : o.patchKind + "; " + verdict,
                o.before == null ? "" : shorten(o.before), o.after == null ? "" : shorten(o.after),
                o.back == null ? "" : shorten(o.back), "", "", ""));
            if (known == null) {
                throw e;
            }
            Assumptions.abort("expected to fail (KnownFailures.LIVE_FIXES): " + known + "; this run: " + e.getMessage());
        }
        Assertions.assertNull(known, fix.id() + " is now applied live: remove it from KnownFailures.LIVE_FIXES");
    }

    /** What a fix's run saw so far, for the results row of a run that fails. */
    private static final class Observed {
        String patchKind;
        String before;
        String after;
        String back;
    }

    private static final Map<String, Observed> OBSERVED = new ConcurrentHashMap<>();

    private static void live(LiveFix fix) throws Exception {
        Observed seen = new Observed();
        OBSERVED.put(fix.id(), seen);
        Corpus.Pair pair = Corpus.pair(fix.pairId());
        Path dir = Corpus.dir();
        Path work = Settings.results().resolve("live-" + pair.id());
        Files.createDirectories(work);
        Path probes = compileProbe(fix.probe(), pair.oldClassPath(dir), work.resolve("probes"));

        // 1. The patch, from the published jars: the whole pair, or --only the fix when lp4j refuses the whole.
        Path patch = work.resolve(fix.probe() + ".lp4j");
        List<String> build = new ArrayList<>(List.of("build", "--old", pair.oldJar(dir).toString(), "--new",
            pair.newJar(dir).toString(), "-o", patch.toString(), "--id", pair.id() + "-" + pair.newVersion()));
        fix.reinitialize().forEach(c -> build.addAll(List.of("--reinitialize", c)));
        String reinit = String.join("", fix.reinitialize().stream().map(c -> " --reinitialize " + c.substring(c.lastIndexOf('.') + 1)).toList());
        String patchKind = "whole pair" + reinit;
        Cli.Result whole = Cli.run(build.toArray(new String[0]));
        if (!whole.ok()) {
            fix.fixClasses().forEach(c -> build.addAll(List.of("--only", c)));
            // As lp4j's refusal advises for a selection: bring the changed classes its new code needs.
            build.add("--closure");
            patchKind = "--only " + String.join(" ", fix.fixClasses().stream().map(c -> c.substring(c.lastIndexOf('.') + 1)).toList())
                + " --closure" + reinit;
            Cli.Result only = Cli.run(build.toArray(new String[0]));
            if (!only.ok()) {
                String refusals = String.join(" | ", only.err().lines().filter(l -> l.startsWith("refused: ")).limit(4).toList());
                throw new AssertionError("lp4j build refuses the fix (" + patchKind + "): " + refusals + " " + only.why());
            }
        }

        seen.patchKind = patchKind;

        // 2. The server on the old release, under load; the exploit works.
        String cp = String.join(java.io.File.pathSeparator, Settings.testClasses().toString(), probes.toString(),
            pair.oldClassPath(dir));
        HttpClient client = Load.client();
        long started = System.nanoTime();
        try (Child server = Child.start("live-" + fix.probe(), cp, libraryPackages(pair.oldJar(dir)), List.of(),
            "io.livepatch4j.release.child.ProbeServer", "probes." + fix.probe(), Integer.toString(fix.stackKiB()))) {
            int port = Integer.parseInt(server.ready.split("port=")[1].split(" ")[0]);
            String pid = Long.toString(server.pid());
            String before;
            String after;
            String back;
            long requests;
            long transitionMillis;
            try (Load load = new Load(port, Settings.clients(), fix.benign())) {
                Thread.sleep(Settings.holdMillis());
                before = Load.post(client, port, fix.exploit());
                seen.before = before;
                Assertions.assertTrue(fix.exploited().test(before), fix.id() + ": the exploit does not work on the old release: " + before);

                // 3. Apply: the exploit is blocked.
                long t = System.nanoTime();
                Cli.ok("apply", "--pid", pid, patch.toString(), "--wait", "--timeout", "60", "--agent-jar",
                    Settings.agentJar().toString());
                transitionMillis = (System.nanoTime() - t) / 1_000_000;
                Thread.sleep(Settings.holdMillis());
                after = Load.post(client, port, fix.exploit());
                seen.after = after;
                Assertions.assertTrue(fix.blocked(after), fix.id() + ": after 'lp4j apply' the exploit is not blocked: " + after);

                // 4. Roll back: the old behaviour is back.
                Cli.ok("rollback", "--pid", pid, "--wait", "--timeout", "60");
                Thread.sleep(Settings.holdMillis());
                back = Load.post(client, port, fix.exploit());
                seen.back = back;
                Assertions.assertTrue(fix.exploited().test(back), fix.id() + ": after 'lp4j rollback' the old behaviour is not back: " + back);
                Thread.sleep(Settings.holdMillis() / 2);
                load.close();
                requests = load.requests();
                Assertions.assertTrue(requests > 0, "the load sent no request");
                Assertions.assertEquals(0, load.failures(), fix.id() + ": client requests failed: " + load.firstFailures());
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000;
            ROWS.put(fix.id(), row(fix, patchKind, shorten(before), shorten(after), shorten(back),
                requests + " in " + seconds + " s", "0", Long.toString(transitionMillis)));
        }
    }

    /** The probe's source (src/test/resources/probes), compiled against the old release. */
    private static Path compileProbe(String probe, String classPath, Path out) throws IOException {
        Path src = out.resolveSibling("probe-src").resolve(probe + ".java");
        Files.createDirectories(src.getParent());
        Files.createDirectories(out);
        try (InputStream in = SecurityFixesIT.class.getClassLoader().getResourceAsStream("probes/" + probe + ".java")) {
            if (in == null) {
                throw new IllegalStateException("no probe source probes/" + probe + ".java in src/test/resources");
            }
            Files.write(src, in.readAllBytes());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream msgs = new ByteArrayOutputStream();
        if (javac.run(null, msgs, msgs, "--release", "17", "-d", out.toString(), "-cp", classPath, src.toString()) != 0) {
            throw new IllegalStateException("the probe " + probe + " does not compile against the old release:\n"
                + msgs.toString(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The agent prepares the library's packages: every package of the old jar, reduced to their roots. */
    private static List<String> libraryPackages(Path jar) throws IOException {
        Set<String> classes = new TreeSet<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
                .forEach(n -> classes.add(n.substring(0, n.length() - 6).replace('/', '.')));
        }
        return Child.packagesOf(classes);
    }

    private static String row(LiveFix fix, String patch, String before, String after, String back, String requests,
                              String failed, String millis) {
        return "| " + fix.id() + " | " + fix.pairId() + " | " + ReleaseCoverage.escape(patch) + " | `" + fix.probe() + "` | "
            + before + " | " + after + " | " + back + " | " + requests + " | " + failed + " | " + millis + " |";
    }

    private static String shorten(String answer) {
        String one = answer.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
        return ReleaseCoverage.code(one.length() > 70 ? one.substring(0, 70) + "..." : one);
    }

    @AfterAll
    static void writeResults() throws IOException {
        StringBuilder md = new StringBuilder("SecurityFixesIT, JDK " + Runtime.version() + ": one server JVM per fix "
            + "(com.sun.net.httpserver, 4 pool threads with 512 KiB stacks, agent in prepared mode for the library's "
            + "packages, C1 only to spare the 2 cores), " + Settings.clients() + " closed-loop clients sending benign input throughout, "
            + Settings.holdMillis() + " ms of load on each generation; 'apply ms' is 'lp4j apply --wait' until the "
            + "transition completed.\n\n"
            + "| fix | pair | patch | probe | exploit before | after apply | after rollback | requests | failed | apply ms |\n"
            + "|---|---|---|---|---|---|---|---:|---:|---:|\n");
        LiveFix.ALL.forEach(f -> md.append(ROWS.getOrDefault(f.id(), "| " + f.id() + " | " + f.pairId() + " | not run | | | | | | | |")).append('\n'));
        Files.createDirectories(Settings.results());
        Files.writeString(Settings.results().resolve("live-fixes.md"), md);
        if (Settings.doc() != null) {
            ResultsDoc.splice(Settings.doc(), "live-fixes", md.toString());
        }
    }
}
