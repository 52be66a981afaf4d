package io.livepatch4j.it.integrations;

import com.sun.tools.attach.VirtualMachine;
import io.livepatch4j.it.support.ChildClassPath;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attach mode: a serial queue whose runner began before the agent attached runs its tasks in code the
 * agent never wove until its queue runs dry, which under steady load may be never. A task queued from
 * inside a unit must still run in that unit (review 32 saw 577 mixed requests of 6,128 in such a JVM).
 */
class SequentialExecutorAttachIT {

    @Test
    @Timeout(120)
    void aTaskQueuedBehindARunnerFromBeforeTheAgentRunsInTheUnitThatQueuedIt() throws Exception {
        String guava = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> e.contains("/com/google/guava/")).collect(Collectors.joining(File.pathSeparator));
        String quiescence = Path.of(Quiescence.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", String.join(File.pathSeparator, ChildClassPath.testClassesAndControl(), quiescence, guava)));
        if (Runtime.version().feature() >= 21) {
            cmd.add("-XX:+EnableDynamicAgentLoading");
        }
        cmd.add("io.livepatch4j.it.child.SequentialAttachTarget");
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("READY", out.readLine());
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(child.pid()));
            try {
                vm.loadAgent(System.getProperty("lp4j.agent.jar"), "");
            } finally {
                vm.detach();
            }
            child.getOutputStream().write('\n');
            child.getOutputStream().flush();
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("KIND "));
            assertTrue(line != null, "the child printed the unit its task ran in");
            assertEquals("KIND Quiescence API (carried into an executor task)", line,
                "the task ran in the unit that queued it, though the worker's loop began before the agent");
        } finally {
            child.destroy();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
