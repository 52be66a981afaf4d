package io.livepatch4j.it.review30;

import io.livepatch4j.it.support.ChildClassPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 16ddf6d: ToolingJit reaches the DiagnosticCommand MBean through
 * ManagementFactory.getPlatformMBeanServer() whatever the option jmx says ("which the agent's start
 * creates anyway for its MXBean" holds only with jmx=on). With jmx=off the agent now creates the
 * platform MBean server two seconds into the application's start (before 16ddf6d it never did;
 * docs/agent.md, JMX: "the agent does not create the platform MBean server at start"). An
 * application that installs its own MBeanServerBuilder after that (javax.management.builder.initial,
 * as JBoss/WildFly do) gets the JDK's default server instead of its own. With toolingC2=on it gets its own.
 */
class Review30JmxOffIT {

    @Test
    @Timeout(90)
    void withJmxOffTheAgentLeavesThePlatformMBeanServerToTheApplication() throws Exception {
        assertEquals("builder=application's", childSays("packages=io.livepatch4j.it.app,jmx=off"),
            "the application's MBeanServerBuilder made the platform MBean server (jmx=off)");
    }

    @Test
    @Timeout(90)
    void withJmxOffAndToolingC2OnTheApplicationsBuilderIsUsed() throws Exception {
        assertEquals("builder=application's", childSays("packages=io.livepatch4j.it.app,jmx=off,toolingC2=on"));
    }

    private static String childSays(String options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (Runtime.version().feature() >= 24) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.addAll(List.of("-javaagent:" + System.getProperty("lp4j.agent.jar") + "=" + options, "-cp",
            ChildClassPath.testClasses(), Review30JmxOffChild.class.getName(), "5000"));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child ended:\n" + out);
            return out.strip();
        } finally {
            child.destroyForcibly();
        }
    }
}
