package io.livepatch4j.it.hazard;

import com.sun.tools.attach.VirtualMachine;
import io.livepatch4j.it.support.ChildClassPath;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.PatchFormat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hazard 5 of issue 10: attach mode and virtual threads. A virtual thread started before the agent
 * was attached is no unit of work, so it gets per-call-stack consistency: it sits in Pair.pair
 * between first() and second() while the agent is attached and the patch applied; its second()
 * must run the code its first() ran. The child runs on the JDK 25 at /usr/lib/jvm/temurin-25-jdk-amd64.
 */
class AttachVirtualThreadIT {

    private static final Path JDK25_JAVA = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    @Test
    @Timeout(120)
    void virtualThreadStartedBeforeAttachKeepsItsCallStacksGeneration() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(JDK25_JAVA), "no JDK 21+ at " + JDK25_JAVA);
        Path dir = Files.createTempDirectory("lp4j-attach-vt");
        Path patch = dir.resolve("pair.lp4j");
        PatchFormat.write(TestPatches.hazard("pair", "Pair"), patch);
        // Only the test classes: the agent comes from the Attach API.
        String testClasses = ChildClassPath.testClassesAndControl();
        List<String> cmd = new ArrayList<>(List.of(JDK25_JAVA.toString(), "-XX:+EnableDynamicAgentLoading", "-cp",
            testClasses, "io.livepatch4j.it.child.VirtualThreadAttachTarget", patch.toString()));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder transcript = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            readUntil(out, "READY", transcript);
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(child.pid()));
            try {
                vm.loadAgent(System.getProperty("lp4j.agent.jar"), "");
            } finally {
                vm.detach();
            }
            String result = readUntil(out, "RESULT", transcript);
            assertTrue(result.contains("pair=v1+v1"), "the virtual thread's call stack began in G0 and must run G0 "
                + "throughout: " + result + "\n" + transcript);
            assertTrue(result.contains("complete=true") && result.contains("after=v2+v2"), result + "\n" + transcript);
        } finally {
            child.destroy();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The child's output up to the line starting with {@code prefix}; every line goes to {@code seen}. */
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
}
