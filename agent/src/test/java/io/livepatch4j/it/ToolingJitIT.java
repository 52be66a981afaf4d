package io.livepatch4j.it;

import io.livepatch4j.it.support.ChildClassPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent keeps its tooling off C2 with a compiler directive (docs/agent.md, toolingC2): the
 * directive is on HotSpot's stack once the agent has started, it matches the tooling's packages and
 * not the runtime that application threads run, and {@code toolingC2=on} adds none. Read as an
 * operator would, with {@code jcmd PID Compiler.directives_print}.
 */
class ToolingJitIT {

    private static final String JAVA_HOME = System.getProperty("java.home");

    @Test
    @Timeout(90)
    void theAgentExcludesItsToolingFromC2AndNothingElse() throws Exception {
        String print = directivesOfAChild("packages=io.livepatch4j.it.app,debug=on");
        String ours = directiveMatching(print, "io/livepatch4j/shaded/*.*");
        assertTrue(ours != null, "a directive for the agent's tooling is on the stack:\n" + print);
        for (String pattern : List.of("io/livepatch4j/agent/tooling/*.*", "io/livepatch4j/patch/*.*")) {
            assertTrue(ours.contains(pattern), pattern + " is matched:\n" + ours);
        }
        assertFalse(ours.contains("bootstrap") || ours.contains("quiescence") || ours.contains("io/livepatch4j/*"),
            "the runtime that application threads run is not matched:\n" + ours);
        String c2 = ours.substring(ours.indexOf("c2 directives:"));
        assertTrue(c2.contains("Exclude:true"), "C2 excludes it:\n" + ours);
        String c1 = ours.substring(ours.indexOf("c1 directives:"), ours.indexOf("c2 directives:"));
        assertTrue(c1.contains("Enable:false") && c1.contains("Exclude:false"),
            "C1 is left as it is (the directive does not apply to it):\n" + ours);
    }

    @Test
    @Timeout(90)
    void toolingC2OnAddsNoDirective() throws Exception {
        assertNoDirectiveOfTheAgents("toolingC2=on");
    }

    /**
     * With jmx=off the agent does not create the platform MBean server (Review30JmxOffIT: an
     * application may install its own builder later), so nothing has added the directive yet.
     */
    @Test
    @Timeout(90)
    void withJmxOffTheDirectiveWaitsForThePlatformMBeanServer() throws Exception {
        assertNoDirectiveOfTheAgents("jmx=off");
    }

    /** A JVM whose agent was given {@code option}: once it started, no directive of the agent's is on the stack. */
    private static void assertNoDirectiveOfTheAgents(String option) throws Exception {
        String print = directivesOfAChild("packages=io.livepatch4j.it.app,debug=on," + option);
        assertTrue(print.contains("Directive: (default)"), "jcmd printed the stack:\n" + print);
        assertTrue(directiveMatching(print, "io/livepatch4j/") == null, "no directive of the agent's (" + option + "):\n" + print);
    }

    /** The directive block of {@code print} whose match line mentions {@code pattern}, or null. */
    private static String directiveMatching(String print, String pattern) {
        for (String block : print.split("Directive:")) {
            int end = block.indexOf('\n', block.indexOf("matching:"));
            if (block.contains("matching:") && block.substring(block.indexOf("matching:"), end < 0 ? block.length() : end)
                .contains(pattern)) {
                return block;
            }
        }
        return null;
    }

    /**
     * Starts a JVM with the agent and {@code options}, waits for its start to end (the debug line
     * of its background work), and returns what {@code jcmd PID Compiler.directives_print} prints.
     */
    private static String directivesOfAChild(String options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(JAVA_HOME, "bin", "java").toString()));
        if (Runtime.version().feature() >= 24) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.addAll(List.of("-javaagent:" + System.getProperty("lp4j.agent.jar") + "=" + options, "-cp",
            ChildClassPath.testClasses(), "io.livepatch4j.it.child.Idle"));
        Process child = new ProcessBuilder(cmd).start();
        try {
            List<String> seen = new ArrayList<>();
            BufferedReader err = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8));
            for (String line; (line = err.readLine()) != null; ) {
                seen.add(line);
                if (line.contains("JIT directive and sweep took")) {
                    break;
                }
            }
            Thread drain = new Thread(() -> {
                try {
                    err.transferTo(java.io.Writer.nullWriter());
                } catch (java.io.IOException ignored) {
                    // the child was killed
                }
            });
            drain.setDaemon(true);
            drain.start();
            assertTrue(seen.stream().anyMatch(l -> l.contains("JIT directive and sweep took")),
                "the agent's start ended:\n" + String.join("\n", seen));
            Process jcmd = new ProcessBuilder(Path.of(JAVA_HOME, "bin", "jcmd").toString(), Long.toString(child.pid()),
                "Compiler.directives_print").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(jcmd.waitFor(30, TimeUnit.SECONDS) && jcmd.exitValue() == 0, "jcmd ran:\n" + out);
            return out;
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
