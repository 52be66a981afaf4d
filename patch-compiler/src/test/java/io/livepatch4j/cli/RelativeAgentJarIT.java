package io.livepatch4j.cli;

import io.livepatch4j.cli.support.Cli;
import io.livepatch4j.cli.support.Fixture;
import io.livepatch4j.cli.support.Sources;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Review of issue 14 (finding F11): lp4j checks a relative {@code --agent-jar} in its own working
 * folder, but the target JVM resolves the same relative path in *its* working folder, where another
 * user may have put a jar of that name. lp4j must hand the JVM the file it checked.
 */
class RelativeAgentJarIT {

    private static final String V1 = Fixture.SUBJECT_V1;
    private static final Fixture FIX = Fixture.subject("relagent", V1, V1.replace("\"v1\"", "\"v2\""), "v1", "v2");

    @Test
    void aRelativeAgentJarIsTheOneLp4jCheckedNotOneInTheTargetsWorkingFolder() throws Exception {
        Path relative = Path.of("target", "livepatch4j-agent.jar"); // the real agent, seen from lp4j's folder
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(relative), "run from the module's folder");
        Path v1 = Sources.compile("v1", FIX.v1Build());
        Path v2 = Sources.compile("v2", FIX.v2Build());
        Path work = Files.createTempDirectory("lp4j-relagent");
        Path patch = work.resolve("fix.lp4j");
        assertEquals(0, Cli.run("build", "--old", v1.toString(), "--new", v2.toString(), "-o", patch.toString(),
            "--id", "relagent").exit());

        // The target's working folder holds a decoy under the same relative name.
        Path cwd = Files.createDirectories(work.resolve("cwd"));
        Path marker = work.resolve("decoy-ran");
        Path decoyClasses = Sources.compile("decoy", Map.of("Decoy", """
            public class Decoy {
                public static void agentmain(String a, java.lang.instrument.Instrumentation i) throws Exception {
                    java.nio.file.Files.writeString(java.nio.file.Path.of(System.getProperty("decoy.marker")), "ran");
                }
            }"""));
        Files.createDirectories(cwd.resolve("target"));
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Agent-Class", "Decoy");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(cwd.resolve(relative)), mf)) {
            jar.putNextEntry(new JarEntry("Decoy.class"));
            jar.write(Files.readAllBytes(decoyClasses.resolve("Decoy.class")));
            jar.closeEntry();
        }

        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (Runtime.version().feature() >= 21) {
            cmd.add("-XX:+EnableDynamicAgentLoading");
        }
        cmd.addAll(java.util.List.of("-Ddecoy.marker=" + marker, "-cp", v1.toString(), "fixture.Main"));
        Process jvm = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
            for (String l = lines.readLine(); l != null && !l.startsWith("READY"); l = lines.readLine()) {
                // wait until it runs
            }
            Thread t = new Thread(() -> {
                try {
                    while (lines.readLine() != null) {
                        // drain
                    }
                } catch (java.io.IOException ignored) {
                    // gone
                }
            });
            t.setDaemon(true);
            t.start();
            Cli.Result r = Cli.run("apply", "--pid", String.valueOf(jvm.pid()), "--agent-jar", relative.toString(),
                patch.toString());
            Thread.sleep(500);
            assertFalse(Files.exists(marker), "the target loaded the jar in its own working folder, not the one lp4j "
                + "checked: " + r);
            assertEquals(0, r.exit(), r.toString());
        } finally {
            jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            try (var files = Files.walk(work)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }
}
