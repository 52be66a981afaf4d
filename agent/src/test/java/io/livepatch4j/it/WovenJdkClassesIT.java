package io.livepatch4j.it;

import io.livepatch4j.it.support.ChildClassPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDK's executor classes with the hooks the agent weaves into them with plain ASM (Hooks) pass
 * the JVM's verifier: the JDK's own classes are not verified by default, so the child JVM asks for
 * it (BytecodeVerificationLocal), and a wrong frame or a wrong hook descriptor would be a VerifyError
 * in ThreadPoolExecutor, CompletableFuture, ForkJoinTask, Timer or VirtualThread. Every executor then
 * runs its tasks, throws its tasks' exceptions and cancels as without the agent.
 */
class WovenJdkClassesIT {

    @Test
    @Timeout(60)
    void wovenExecutorsPassTheVerifierAndBehaveAsBefore() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+UnlockDiagnosticVMOptions", "-XX:+BytecodeVerificationLocal"));
        if (Runtime.version().feature() >= 24) {
            cmd.add("--enable-native-access=ALL-UNNAMED"); // the agent's JNI library (docs/agent.md)
        }
        cmd.addAll(List.of("-javaagent:" + System.getProperty("lp4j.agent.jar") + "=packages=io.livepatch4j.it.app",
            "-cp", ChildClassPath.testClasses(), "io.livepatch4j.it.child.ExecutorTour"));
        Path err = Files.createTempFile("lp4j-woven", ".err");
        Process child = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child JVM ended");
        String stderr = Files.readString(err);
        List<String> expected = new ArrayList<>(List.of("tpe", "thrown boom", "sched", "cf+stageb", "cf thrown cfboom",
            "499500", "cancel true", "timer"));
        if (Runtime.version().feature() >= 21) {
            expected.add("virtual");
        }
        expected.addAll(List.of("drained 0", "DONE"));
        assertEquals(expected, out.lines().toList(), "the executors' answers with woven hooks; stderr:\n" + stderr);
        assertEquals("", stderr.strip(), "no VerifyError, no 'could not instrument' warning");
    }
}
