package io.livepatch4j.it;

import com.sun.tools.attach.VirtualMachine;
import io.livepatch4j.it.support.ChildClassPath;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.PatchFormat;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attach mode: a JVM started without the agent gets it through the Attach API; the classes the
 * patch touches are prepared by one retransformation when it is applied, and the transition is the
 * same wait-free one.
 */
class AttachModeIT {

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void agentAttachedToARunningJvmAppliesAPatchWithoutMixingVersions() throws Exception {
        Path dir = Files.createTempDirectory("lp4j-attach");
        Path patch = dir.resolve("greeter-v2.lp4j");
        PatchFormat.write(TestPatches.greeterV2(), patch);

        // Only the test classes: the agent must come from the Attach API, not from the class path.
        String testClasses = ChildClassPath.testClassesAndControl();
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-cp", testClasses));
        if (Runtime.version().feature() >= 21) {
            cmd.add("-XX:+EnableDynamicAgentLoading");
        }
        for (String extra : System.getProperty("lp4j.test.jvmArgs", "").trim().split("\\s+")) {
            if (!extra.isEmpty()) {
                cmd.add(extra);
            }
        }
        cmd.add("io.livepatch4j.it.child.AttachTarget");
        cmd.add(patch.toString());
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder transcript = new StringBuilder();
            String ready = readUntil(out, "READY", transcript);
            assertTrue(ready.contains("before=v1+v1"), ready);
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(child.pid()));
            try {
                vm.loadAgent(System.getProperty("lp4j.agent.jar"), "");
            } finally {
                vm.detach();
            }
            String result = readUntil(out, "RESULT", transcript);
            assertTrue(result.contains("mode=attach"), result);
            assertTrue(result.contains("complete=true"), result);
            assertTrue(result.contains("mixed=0"), result);
            assertTrue(result.contains("after=v2+v2"), result);
            assertTrue(result.contains("unitKind=executor task"), "a pool started before the agent runs units: " + result);
            // JDK 24+ prints a warning into the application's output when sun.misc.Unsafe is used;
            // the agent must not make one appear (a library that reaches for it, as Byte Buddy's Nexus did, would).
            assertFalse(transcript.toString().contains("sun.misc.Unsafe"),
                "the agent made the JVM warn about sun.misc.Unsafe:\n" + transcript);
        } finally {
            child.destroy();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Reads the child's output up to the line starting with {@code prefix}; every line goes to {@code seen}. */
    private static String readUntil(BufferedReader out, String prefix, StringBuilder seen) throws Exception {
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("the child JVM ended before printing " + prefix + ":\n" + seen);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
